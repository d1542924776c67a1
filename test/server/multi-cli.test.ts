/**
 * `assay server project` and `assay server token` on the store, on DuckDB and PostgreSQL: the
 * token printed once on stdout alone, never listed, revocable; wrong uses exit 2.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { SERVER_MIGRATIONS } from '../../src/server/multi/registry.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import { runCli } from '../helpers/cli.ts';
import { describeStoreContract } from '../helpers/store-contract.ts';

registerMigrations(SERVER_MIGRATIONS);

describeStoreContract('assay server project and token commands', (backend) => {
  let spec: string;
  before(async () => {
    spec = await backend.fresh();
  });
  const cli = (...args: string[]) =>
    runCli(['server', ...args, '--store', spec], { env: { ASSAY_STORE_URL: undefined } });

  it('adds and lists projects, refusing a bad or repeated name', async () => {
    assert.equal((await cli('project', 'add', 'payments', '--scope', 'github.com/acme/payments')).code, 0);
    const again = await cli('project', 'add', 'payments');
    assert.equal(again.code, 2);
    assert.match(again.err, /exists already/);
    const bad = await cli('project', 'add', 'Bad Name');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /a project name is/);
    const list = await cli('project', 'list');
    assert.match(list.out, /^payments\tgithub\.com\/acme\/payments\t/m);
  });

  it('prints a new token once, on stdout alone, lists it without its secret and revokes it', async () => {
    const made = await cli('token', 'create', '--scope', 'push', '--project', 'payments', '--note', 'ci');
    assert.equal(made.code, 0, made.err);
    const token = made.out.trim();
    assert.match(token, /^assay_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.match(made.err, /shown once/);
    assert.doesNotMatch(made.err, new RegExp(token.slice(23)));
    const id = token.slice(6, 22);
    const list = await cli('token', 'list');
    assert.match(list.out, new RegExp(`^${id}\\tpush\\tpayments\\t.*\\tactive\\tci$`, 'm'));
    assert.ok(!list.out.includes(token.slice(23)), 'the secret is never listed');
    assert.equal((await cli('token', 'revoke', id)).code, 0);
    assert.match((await cli('token', 'list')).out, new RegExp(`^${id}\\t.*\\trevoked `, 'm'));
    const twice = await cli('token', 'revoke', id);
    assert.equal(twice.code, 2);
  });

  it('refuses tokens whose projects do not fit their kind', async () => {
    const cases: [string[], RegExp][] = [
      [['--scope', 'push'], /exactly one project/],
      [['--scope', 'read'], /at least one --project/],
      [['--scope', 'admin', '--project', 'payments'], /give it no --project/],
      [['--scope', 'read', '--project', 'nope'], /no project named 'nope'/],
      [['--scope', 'root'], /--scope expects push, read, admin/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('token', 'create', ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
      assert.equal(r.out, '');
    }
  });
});
