// httpRootDir: files and index.html are found; `..`, encoded `..`, NUL and symbolic links
// that leave the root are not.

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveFile } from '../../../router/observe/static-files';

describe('observe/static-files', () => {
  let base: string;
  let root: string;

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-static-'));
    root = path.join(base, 'root');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<html></html>');
    fs.writeFileSync(path.join(root, 'sub', 'a.js'), 'x');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('finds files, and index.html for a directory', async () => {
    expect(await resolveFile(root, '/sub/a.js')).to.equal(path.join(fs.realpathSync(root), 'sub', 'a.js'));
    expect(await resolveFile(root, '/')).to.equal(path.join(fs.realpathSync(root), 'index.html'));
    expect(await resolveFile(root, '/sub/%61.js')).to.equal(path.join(fs.realpathSync(root), 'sub', 'a.js'));
  });

  it('finds nothing outside the root', async () => {
    for (const p of ['/../secret.txt', '/sub/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/link.txt', '/index.html%00', '/%E0%A4%A', '/missing', '/sub']) {
      expect(await resolveFile(root, p), p).to.equal(undefined);
    }
  });
});
