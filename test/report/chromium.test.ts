import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHROMIUM_NOT_FOUND,
  chromiumProblem,
  findChromium,
  launchChromium,
} from '../../src/report/chromium.ts';

describe('finding Chromium', () => {
  it('finds none with an empty PATH and no known install, and says what to install', async () => {
    assert.equal(findChromium({ PATH: '' }, []), undefined);
    await assert.rejects(launchChromium({ PATH: '' }, []), (err: Error) => {
      assert.equal(err.message, CHROMIUM_NOT_FOUND);
      assert.match(err.message, /apt-get install chromium/);
      assert.match(err.message, /ASSAY_CHROMIUM/);
      return true;
    });
  });

  it('takes ASSAY_CHROMIUM first, and refuses one that is not executable', () => {
    assert.equal(findChromium({ PATH: '', ASSAY_CHROMIUM: process.execPath }, []), process.execPath);
    assert.throws(
      () => findChromium({ ASSAY_CHROMIUM: '/nonexistent/chromium' }),
      /apt-get install chromium/,
    );
  });

  it('says why no Chromium can be used, or nothing when one can', () => {
    assert.equal(chromiumProblem({ PATH: '', ASSAY_CHROMIUM: process.execPath }), undefined);
    assert.match(
      chromiumProblem({ ASSAY_CHROMIUM: '/nonexistent/chromium' }) ?? '',
      /ASSAY_CHROMIUM=\/nonexistent\/chromium/,
    );
  });
});
