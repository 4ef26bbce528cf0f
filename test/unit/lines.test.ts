import { it } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/lines.ts';

it('LineIndex counts CRLF, CR and LF as editors do', () => {
  const text = 'a\r\nbb\rccc\nd';
  const idx = new LineIndex(text);
  const expect = (offset: number, line: number, character: number) => assert.deepEqual(idx.position(offset), { line, character }, `offset ${offset}`);
  expect(0, 0, 0);
  expect(1, 0, 1);
  expect(3, 1, 0);
  expect(6, 2, 0);
  expect(10, 3, 0);
  expect(11, 3, 1);
  assert.deepEqual(new LineIndex('').position(0), { line: 0, character: 0 });
});
