// node --test bundle/js/test/ : the module's output decrypted with an independent WebCrypto reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBundle, readHeader, codePoints, encodeInnerBody, fetchChallenge, captureSequence, ALG, LIMITS }
  from '../openbio-bundle.mjs';

const s = globalThis.crypto.subtle;
const b64 = (u8) => Buffer.from(u8).toString('base64');

async function serverKeyPair() {
  const kp = await s.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const spki = new Uint8Array(await s.exportKey('spki', kp.publicKey));
  return { privateKey: kp.privateKey, spkiB64: b64(spki) };
}

// A reader written from SPEC.md, independent of the module's writer code.
async function open(bundle, privateKey) {
  const v = new DataView(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  assert.equal(String.fromCharCode(...bundle.subarray(0, 4)), 'OBCB');
  assert.equal(bundle[4], 1);
  const h = v.getUint16(5);
  const header = JSON.parse(Buffer.from(bundle.subarray(7, 7 + h)).toString('utf8'));
  const bodyLength = v.getUint32(7 + h);
  const aad = bundle.subarray(0, 11 + h);
  assert.equal(bundle.length, 11 + h + bodyLength);
  const epk = Buffer.from(header.epk, 'base64');
  const pub = await s.importKey('raw', epk, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const z = await s.deriveBits({ name: 'ECDH', public: pub }, privateKey, 256);
  const ikm = await s.importKey('raw', z, 'HKDF', false, ['deriveKey']);
  const key = await s.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: epk,
    info: new TextEncoder().encode(`openbio-capture-bundle/v1|${header.alg}|${header.kid}`) },
  ikm, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
  const plain = new Uint8Array(await s.decrypt({ name: 'AES-GCM', iv: Buffer.from(header.iv, 'base64'),
    additionalData: aad, tagLength: 128 }, key, bundle.subarray(11 + h)));
  const pv = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const m = pv.getUint32(0);
  const meta = JSON.parse(Buffer.from(plain.subarray(4, 4 + m)).toString('utf8'));
  let p = 4 + m;
  const frames = meta.frames.map((f) => { const d = plain.subarray(p, p + f.length); p += f.length; return d; });
  assert.equal(p, plain.length);
  return { header, meta, frames };
}

test('bundle round-trips through an independent reader', async () => {
  const { privateKey, spkiB64 } = await serverKeyPair();
  const img1 = new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
  const img2 = new Uint8Array(5000).map((_, i) => i & 0xff);
  const bundle = await createBundle({ publicKeySpkiB64: spkiB64, kid: 'obk1-abc' },
    [{ data: img1, timestamp: 1000, width: 640, height: 480 }, { data: new Blob([img2], { type: 'image/png' }), timestamp: 1100 }],
    { nonce: 'n-123', camera: { label: 'FaceTime HD Camera', width: 640, height: 480, facingMode: 'user' } });
  assert.deepEqual(readHeader(bundle).kid, 'obk1-abc');
  const { header, meta, frames } = await open(bundle, privateKey);
  assert.equal(header.alg, ALG);
  assert.equal(meta.nonce, 'n-123');
  assert.equal(meta.captureStart, 1000);
  assert.equal(meta.captureEnd, 1100);
  assert.equal(meta.frames[1].contentType, 'image/png');
  assert.equal(meta.camera.label, 'FaceTime HD Camera');
  assert.deepEqual(Buffer.from(frames[0]), Buffer.from(img1));
  assert.deepEqual(Buffer.from(frames[1]), Buffer.from(img2));
});

test('fetches key and nonce from the server endpoints', async () => {
  const { privateKey, spkiB64 } = await serverKeyPair();
  const calls = [];
  const fetchImpl = async (url, init = {}) => {
    calls.push([init.method || 'GET', url, init.headers && init.headers['X-Tenant-Id']]);
    const body = url.endsWith('/bundle/public-key')
      ? { kid: 'k9', alg: ALG, curve: 'P-256', publicKey: spkiB64 }
      : { nonce: 'server-nonce', expiresAt: '2030-01-01T00:00:00Z' };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  const bundle = await createBundle({ server: 'http://iad.example/', tenant: 't1', fetchImpl },
    [{ data: new Uint8Array([1, 2, 3]) }]);
  assert.deepEqual(calls, [['GET', 'http://iad.example/bundle/public-key', undefined],
    ['POST', 'http://iad.example/bundle/nonce', 't1']]);
  const { header, meta } = await open(bundle, privateKey);
  assert.equal(header.kid, 'k9');
  assert.equal(meta.nonce, 'server-nonce');
});

test('rejects bad input', async () => {
  const { spkiB64 } = await serverKeyPair();
  const key = { publicKeySpkiB64: spkiB64, kid: 'k1' };
  await assert.rejects(createBundle(key, [], { nonce: 'n' }));
  await assert.rejects(createBundle(key, [{ data: new Uint8Array([1]) }], {}));
  await assert.rejects(createBundle({ ...key, kid: 'bad kid' }, [{ data: new Uint8Array([1]) }], { nonce: 'n' }));
});

test('the header carries padded, canonical standard base64 (SPEC.md 3.1)', async () => {
  const { spkiB64 } = await serverKeyPair();
  for (let i = 0; i < 20; i++) {
    const bundle = await createBundle({ publicKeySpkiB64: spkiB64, kid: 'k1' }, [{ data: new Uint8Array([i + 1]) }], { nonce: 'n' });
    const h = readHeader(bundle);
    assert.match(h.epk, /^[A-Za-z0-9+/]{87}=$/);
    assert.match(h.iv, /^[A-Za-z0-9+/]{16}$/);
    assert.equal(Buffer.from(h.epk, 'base64').toString('base64'), h.epk);
  }
});

test('string limits count Unicode code points (SPEC.md 5.1)', async () => {
  assert.equal(codePoints('abc'), 3);
  assert.equal(codePoints('\u00e9'), 1);
  assert.equal(codePoints('\u{1F600}'), 1); // 2 UTF-16 code units, 4 UTF-8 bytes
  assert.equal(codePoints('a\ud800'), -1);
  assert.equal(codePoints('\udc00a'), -1);
  const { spkiB64 } = await serverKeyPair();
  const key = { publicKeySpkiB64: spkiB64, kid: 'k1' };
  const frame = [{ data: new Uint8Array([1]) }];
  const emoji = (n) => '\u{1F600}'.repeat(n);
  await createBundle(key, frame, { nonce: emoji(LIMITS.maxNonceChars) }); // 1024 UTF-16 code units: fine
  await assert.rejects(createBundle(key, frame, { nonce: 'x'.repeat(LIMITS.maxNonceChars + 1) }));
  await assert.rejects(createBundle(key, frame, { nonce: 'n\ud800' }));
  await createBundle(key, frame, { nonce: 'n', camera: { label: emoji(LIMITS.maxTextChars) } });
  await assert.rejects(createBundle(key, frame, { nonce: 'n', camera: { label: emoji(LIMITS.maxTextChars + 1) } }));
  await createBundle(key, frame, { nonce: 'n', device: { [emoji(LIMITS.maxDeviceKeyChars)]: 'v' } });
  await assert.rejects(createBundle(key, frame, { nonce: 'n', device: { [emoji(LIMITS.maxDeviceKeyChars + 1)]: 'v' } }));
  await assert.rejects(createBundle(key, frame, { nonce: 'n', device: { '': 'v' } }));
  await assert.rejects(createBundle(key, [{ data: new Uint8Array([1]), contentType: 'image/jpeg; q=1' }], { nonce: 'n' }));
  await assert.rejects(createBundle(key, [{ data: new Uint8Array([1]), contentType: 'image/*' }], { nonce: 'n' }));
  await createBundle(key, [{ data: new Uint8Array([1]), contentType: 'image/' + 'x'.repeat(LIMITS.maxContentTypeChars - 6) }], { nonce: 'n' });
  await assert.rejects(createBundle(key, [{ data: new Uint8Array([1]), contentType: 'image/' + 'x'.repeat(LIMITS.maxContentTypeChars - 5) }], { nonce: 'n' }));
});

test('the published test vector (SPEC.md) decrypts with WebCrypto and its intermediates match', async () => {
  const { readFile } = await import('node:fs/promises');
  const v = JSON.parse(await readFile(new URL('../../src/test/resources/io/openbio/bundle/test-vector-v1.json', import.meta.url), 'utf8'));
  const hex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
  const b64url = (u8) => Buffer.from(u8).toString('base64url');
  const spki = Buffer.from(v.serverPublicKeySpki, 'base64');
  const point = spki.subarray(spki.length - 65);
  const jwk = (d, pt) => ({ kty: 'EC', crv: 'P-256', d: b64url(hex(d)), x: b64url(pt.subarray(1, 33)), y: b64url(pt.subarray(33, 65)) });
  const serverPriv = await s.importKey('jwk', jwk(v.serverPrivateKeyD, point), { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const ephPriv = await s.importKey('jwk', jwk(v.ephemeralPrivateKeyD, hex(v.epk)), { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const serverPub = await s.importKey('spki', spki, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const z = new Uint8Array(await s.deriveBits({ name: 'ECDH', public: serverPub }, ephPriv, 256));
  assert.equal(Buffer.from(z).toString('hex'), v.ecdhSharedSecret);
  const ikm = await s.importKey('raw', z, 'HKDF', false, ['deriveBits']);
  const okm = await s.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: hex(v.hkdfSalt), info: new TextEncoder().encode(v.hkdfInfo) }, ikm, 256);
  assert.equal(Buffer.from(okm).toString('hex'), v.aesKey);
  const { header, meta, frames } = await open(hex(v.bundle), serverPriv);
  assert.equal(JSON.stringify(header), v.headerJson);
  assert.equal(JSON.stringify(meta), v.metadataJson);
  assert.equal(Buffer.from(frames[0]).toString('hex'), 'ffd8ffd9');
});

// ------------------------------------------------------------ challenge captures (SPEC.md 5.2)

const hexBytes = (h) => Uint8Array.from(Buffer.from(h, 'hex'));

async function vectorKeys(v) {
  const b64url = (u8) => Buffer.from(u8).toString('base64url');
  const spki = Buffer.from(v.serverPublicKeySpki, 'base64');
  const point = spki.subarray(spki.length - 65);
  const jwk = { kty: 'EC', crv: 'P-256', d: b64url(hexBytes(v.serverPrivateKeyD)), x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) };
  return s.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
}

async function readVector(name) {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(new URL(`../../src/test/resources/io/openbio/bundle/${name}`, import.meta.url), 'utf8'));
}

/** The browser module's encoding of a decrypted bundle's content: the same bytes when the module writes as SPEC.md says. */
function reencode(meta, frames) {
  return encodeInnerBody(meta.frames.map((f, i) => ({ data: frames[i], contentType: f.contentType, timestamp: f.timestamp,
    width: f.width, height: f.height })), {
    nonce: meta.nonce, captureStart: meta.captureStart, captureEnd: meta.captureEnd, device: meta.device,
    camera: meta.camera, clientName: meta.client.name, clientVersion: meta.client.version, challenge: meta.challenge });
}

test('the published challenge vector decrypts with WebCrypto and the module writes its plaintext exactly', async () => {
  const v = await readVector('test-vector-v1-challenge.json');
  const serverPriv = await vectorKeys(v);
  const { header, meta, frames } = await open(hexBytes(v.bundle), serverPriv);
  assert.equal(JSON.stringify(header), v.headerJson);
  assert.equal(JSON.stringify(meta), v.metadataJson);
  assert.deepEqual(meta.challenge, { id: 'test-vector-challenge-nonce', actions: ['TURN_LEFT', 'SMILE'],
    prompts: [1700000000500, 1700000002500] });
  assert.equal(frames.length, 17);
  assert.ok(frames.length > LIMITS.maxFrames);
  frames.forEach((f, i) => {
    assert.equal(Buffer.from(f).toString('hex'), `ffd8${i.toString(16).padStart(2, '0')}ffd9`);
    assert.equal(meta.frames[i].timestamp, 1700000000000 + 250 * i);
  });
  assert.equal(Buffer.from(await reencode(meta, frames)).toString('hex'), v.plaintext);
});

test('the module writes the first vector\'s plaintext exactly too (no challenge member)', async () => {
  const v = await readVector('test-vector-v1.json');
  const { meta, frames } = await open(hexBytes(v.bundle), await vectorKeys(v));
  assert.equal(meta.challenge, undefined);
  assert.equal(Buffer.from(await reencode(meta, frames)).toString('hex'), v.plaintext);
});

test('a challenge raises the frame limit to 64 and is checked like the Java writer checks it', async () => {
  const { privateKey, spkiB64 } = await serverKeyPair();
  const key = { publicKeySpkiB64: spkiB64, kid: 'k1' };
  const frames = (n) => Array.from({ length: n }, (_, i) => ({ data: new Uint8Array([0xff, 0xd8, i, 0xff, 0xd9]), timestamp: 1000 + 200 * i }));
  const challenge = { actions: ['TURN_LEFT', 'SMILE'], prompts: [1100, 3100] };
  const bundle = await createBundle(key, frames(LIMITS.maxChallengeFrames), { nonce: 'n-1', challenge });
  const { meta, frames: read } = await open(bundle, privateKey);
  assert.deepEqual(meta.challenge, { id: 'n-1', actions: ['TURN_LEFT', 'SMILE'], prompts: [1100, 3100] });
  assert.equal(read.length, 64);
  assert.equal(meta.frames[63].timestamp, 1000 + 200 * 63);
  // the challenge's id is the nonce when no nonce is given
  const byId = await open(await createBundle(key, frames(2), { challenge: { id: 'n-2', ...challenge } }), privateKey);
  assert.equal(byId.meta.nonce, 'n-2');

  await createBundle(key, frames(LIMITS.maxFrames), { nonce: 'n' });
  await assert.rejects(createBundle(key, frames(LIMITS.maxFrames + 1), { nonce: 'n' }), /between 1 and 16/);
  await assert.rejects(createBundle(key, frames(LIMITS.maxChallengeFrames + 1), { nonce: 'n', challenge }), /between 1 and 64/);
  for (const bad of [
    { id: 'other', ...challenge },
    { actions: [], prompts: [] },
    { actions: ['SMILE', 'LOOK_UP'], prompts: [1] },
    { actions: ['SMILE'], prompts: [null] },
    { actions: ['SMILE'], prompts: [-1] },
    { actions: ['smile'], prompts: [1] },
    { actions: ['X'.repeat(LIMITS.maxActionChars + 1)], prompts: [1] },
    { actions: Array(LIMITS.maxChallengeActions + 1).fill('SMILE'), prompts: Array(LIMITS.maxChallengeActions + 1).fill(1) },
  ]) {
    await assert.rejects(createBundle(key, frames(1), { nonce: 'n', challenge: bad }), undefined, JSON.stringify(bad));
  }
  await createBundle(key, frames(1), { nonce: 'n', challenge: { actions: ['X'.repeat(LIMITS.maxActionChars)], prompts: [1] } });
});

test('fetchChallenge calls POST /challenge and its nonce and actions make the bundle', async () => {
  const { privateKey, spkiB64 } = await serverKeyPair();
  const calls = [];
  const answer = { nonce: 'c-nonce', challengeId: 'c-nonce', actions: ['LOOK_UP', 'CLOSE_EYES'], expiresAt: '2030-01-01T00:00:00Z' };
  const fetchImpl = async (url, init = {}) => {
    calls.push([init.method || 'GET', url, init.headers && init.headers['X-Tenant-Id']]);
    const body = url.endsWith('/bundle/public-key') ? { kid: 'k9', alg: ALG, curve: 'P-256', publicKey: spkiB64 } : answer;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  const c = await fetchChallenge('http://iad.example/', { tenant: 't1', fetchImpl });
  const bundle = await createBundle({ server: 'http://iad.example', fetchImpl },
    [{ data: new Uint8Array([1]), timestamp: 5 }, { data: new Uint8Array([2]), timestamp: 6 }],
    { nonce: c.nonce, challenge: { actions: c.actions, prompts: [5, 6] } });
  assert.deepEqual(calls, [['POST', 'http://iad.example/challenge', 't1'], ['GET', 'http://iad.example/bundle/public-key', undefined]]);
  const { meta } = await open(bundle, privateKey);
  assert.deepEqual(meta.challenge, { id: 'c-nonce', actions: ['LOOK_UP', 'CLOSE_EYES'], prompts: [5, 6] });
  answer.challengeId = 'something-else';
  await assert.rejects(fetchChallenge('http://iad.example', { fetchImpl }), /challengeId/);
});

test('captureSequence takes timed, scaled frames from a video at the requested rate', async () => {
  let now = 1_000_000;
  const drawn = [];
  const canvas = {
    width: 0, height: 0,
    getContext: () => ({ drawImage: (video, x, y, w, h) => drawn.push([x, y, w, h]) }),
    convertToBlob: async ({ type }) => new Blob([new Uint8Array([0xff, 0xd8, drawn.length, 0xff, 0xd9])], { type }),
  };
  const video = { videoWidth: 1280, videoHeight: 720 };
  const prompts = [];
  const seq = await captureSequence(video, {
    fps: 5, durationMs: 2000, canvas, clock: () => now, sleep: async (ms) => { now += ms; },
    onFrame: (frame, i, elapsed) => { if (i % 5 === 0) prompts.push(frame.timestamp); now += 7; },
  });
  assert.equal(seq.frames.length, 10);
  assert.deepEqual(seq.frames.map((f) => f.timestamp - seq.captureStart), [0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
  assert.deepEqual([seq.width, seq.height], [640, 360]); // 1280x720 scaled into 640x480, aspect kept
  assert.deepEqual(drawn[0], [0, 0, 640, 360]);
  assert.ok(seq.frames.every((f) => f.width === 640 && f.height === 360 && f.contentType === 'image/jpeg'));
  assert.deepEqual(prompts, [seq.frames[0].timestamp, seq.frames[5].timestamp]);
  assert.ok(seq.captureEnd >= seq.frames[9].timestamp);
  // onFrame returning false stops it; maxFrames caps it
  const stopped = await captureSequence(video, { fps: 10, durationMs: 5000, canvas, clock: () => now, sleep: async (ms) => { now += ms; },
    onFrame: (f, i) => i < 2 });
  assert.equal(stopped.frames.length, 3);
  const capped = await captureSequence(video, { fps: 30, durationMs: 10000, canvas, clock: () => now, sleep: async (ms) => { now += ms; } });
  assert.equal(capped.frames.length, LIMITS.maxChallengeFrames);
});
