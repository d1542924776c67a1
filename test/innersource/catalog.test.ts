/** The InnerSource control catalog is valid OSCAL 1.1.2 and covers every check's controls. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import ajvFormats from 'ajv-formats';
import { CONTROL_IDS, findControl, INNERSOURCE_CATALOG } from '../../src/innersource/catalog.ts';
import { innerSourceChecks } from '../../src/innersource/checks/index.ts';

// CommonJS packages: their classes are on `default` under NodeNext resolution.
const Ajv = AjvModule.default;
const addFormats = ajvFormats.default;
const schemaDir = fileURLToPath(new URL('../../../shared/data/oscal-schema/', import.meta.url));

describe('InnerSource catalog', () => {
  it('is valid against the OSCAL 1.1.2 catalog schema', (t) => {
    const file = join(schemaDir, 'oscal_catalog_schema.json');
    if (!existsSync(file)) {
      t.skip(`OSCAL schema not found at ${file}`);
      return;
    }
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
    assert.ok(validate(INNERSOURCE_CATALOG), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  it('has unique control ids, each with a statement, guidance and a pattern link', () => {
    assert.equal(new Set(CONTROL_IDS).size, CONTROL_IDS.length);
    for (const id of CONTROL_IDS) {
      const c = findControl(id);
      assert.ok(c);
      assert.match(id, /^isc-[a-z-]+$/);
      assert.ok(c.parts.some((p) => p.name === 'statement' && p.prose.length > 40));
      assert.ok(c.parts.some((p) => p.name === 'guidance'));
      assert.ok(
        c.links.length > 0 &&
          c.links.every((l) => l.href.startsWith('https://patterns.innersourcecommons.org/')),
      );
    }
  });

  it('every control is evidenced by at least one check', () => {
    const used = new Set(innerSourceChecks.flatMap((c) => c.meta.controls));
    assert.deepEqual(
      CONTROL_IDS.filter((id) => !used.has(id)),
      [],
    );
  });
});
