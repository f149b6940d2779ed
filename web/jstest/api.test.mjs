// Unit tests of the API client's stale-request handling: node --test web/jstest/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latest, isStale } from '../static/js/map/api.js';

test('latest aborts the signal it gave before, and only that one', () => {
  const next = latest();
  const a = next();
  assert.equal(a.aborted, false);
  const b = next();
  assert.equal(a.aborted, true);
  assert.equal(b.aborted, false);
  const other = latest()();
  next();
  assert.equal(b.aborted, true);
  assert.equal(other.aborted, false, 'another kind of request is not aborted');
});

test('isStale knows an aborted fetch from a failure', async () => {
  const ctl = new AbortController();
  ctl.abort();
  const err = await fetch('http://127.0.0.1:9/', { signal: ctl.signal }).catch((e) => e);
  assert.equal(isStale(err), true);
  assert.equal(isStale(new Error('HTTP 500')), false);
  assert.equal(isStale(null), false);
});
