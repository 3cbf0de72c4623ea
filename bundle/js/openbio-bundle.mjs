// OpenBio capture bundle, format v1 (see ../SPEC.md): the browser capture client.
//
// Uses only WebCrypto (crypto.subtle), fetch, TextEncoder and btoa/atob, so it runs unchanged in
// a browser and in Node 20+ (globalThis.crypto.subtle).
//
//   import { createBundle, frameFromCanvas } from './openbio-bundle.mjs';
//   const frame = await frameFromCanvas(canvas);                      // a JPEG of the current video frame
//   const bundle = await createBundle({ server: 'https://host' }, [frame], {
//     camera: { label: track.label, width: 1280, height: 720, facingMode: 'user' } });
//   await fetch('https://host/check_capture_liveness', { method: 'POST', body: bundle,
//     headers: { 'Content-Type': 'application/octet-stream' } });

export const FORMAT_VERSION = 1;
export const ALG = 'ECDH-P256-HKDF-SHA256-A256GCM';
export const CURVE = 'P-256';
export const CLIENT_NAME = 'openbio-bundle-js';
export const CLIENT_VERSION = '0.1.0';
export const LIMITS = Object.freeze({
  maxHeaderBytes: 4096,
  maxBodyBytes: 12 * 1024 * 1024,
  maxMetadataBytes: 64 * 1024,
  maxFrames: 16,
  // a bundle with a challenge (SPEC.md 5.2) may carry a frame sequence
  maxChallengeFrames: 64,
  maxChallengeActions: 16,
  maxActionChars: 64,
  // string limits count Unicode code points (SPEC.md 5.1), not UTF-16 code units
  maxNonceChars: 512,
  maxContentTypeChars: 128,
  maxDeviceEntries: 64,
  maxDeviceKeyChars: 64,
  maxTextChars: 1024,
});

const MAGIC = [0x4f, 0x42, 0x43, 0x42]; // "OBCB"
const TAG_BYTES = 16;
const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
// SPEC.md 5.1: a media type type/subtype of RFC 6838 names, no parameters, no wildcards
const CONTENT_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;
const INFO_PREFIX = 'openbio-capture-bundle/v1|';
// SPEC.md 5.2: action names as the server issues them, e.g. TURN_LEFT
const ACTION_PATTERN = /^[A-Z][A-Z0-9_]*$/;
const utf8 = new TextEncoder();

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available: use a secure context (https or localhost)');
  return s;
}

function trimServer(server) {
  if (typeof server !== 'string' || !/^https?:\/\//.test(server)) {
    throw new Error(`server must be an http(s) URL, got ${server}`);
  }
  return server.replace(/\/+$/, '');
}

/** GET {server}/bundle/public-key -> { kid, alg, curve, publicKey } (publicKey: base64 DER SPKI). */
export async function fetchPublicKey(server, { fetchImpl = globalThis.fetch } = {}) {
  const res = await fetchImpl(`${trimServer(server)}/bundle/public-key`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET /bundle/public-key answered ${res.status}`);
  const key = await res.json();
  if (key.alg !== ALG || key.curve !== CURVE) {
    throw new Error(`server key is ${key.alg} on ${key.curve}; this client makes ${ALG} on ${CURVE}`);
  }
  return key;
}

/**
 * POST {server}/challenge (X-Tenant-Id when tenant is given) -> { nonce, challengeId, actions, expiresAt }:
 * a nonce with the active-liveness challenge bound to it (SPEC.md 2, 5.2). Refuses an answer whose
 * challengeId is not its nonce.
 */
export async function fetchChallenge(server, { tenant, fetchImpl = globalThis.fetch } = {}) {
  const headers = { Accept: 'application/json' };
  if (tenant) headers['X-Tenant-Id'] = tenant;
  const res = await fetchImpl(`${trimServer(server)}/challenge`, { method: 'POST', headers });
  if (!res.ok) throw new Error(`POST /challenge answered ${res.status}`);
  const c = await res.json();
  if (typeof c.nonce !== 'string' || !c.nonce || !Array.isArray(c.actions)) {
    throw new Error('POST /challenge answered no nonce or actions');
  }
  if ((c.challengeId ?? c.nonce) !== c.nonce) {
    throw new Error('the server\'s challengeId is not its nonce; format v1 binds the challenge to the nonce');
  }
  return c;
}

/** POST {server}/bundle/nonce (X-Tenant-Id when tenant is given) -> { nonce, expiresAt }. */
export async function fetchNonce(server, { tenant, fetchImpl = globalThis.fetch } = {}) {
  const headers = { Accept: 'application/json' };
  if (tenant) headers['X-Tenant-Id'] = tenant;
  const res = await fetchImpl(`${trimServer(server)}/bundle/nonce`, { method: 'POST', headers });
  if (!res.ok) throw new Error(`POST /bundle/nonce answered ${res.status}`);
  return res.json();
}

/**
 * Encodes the current content of a canvas (HTMLCanvasElement or OffscreenCanvas, e.g. after
 * ctx.drawImage(video, 0, 0)) as a frame: { data: Blob, contentType, timestamp, width, height }.
 */
export async function frameFromCanvas(canvas, { type = 'image/jpeg', quality = 0.92, timestamp = Date.now() } = {}) {
  let blob;
  if (typeof canvas.convertToBlob === 'function') {
    blob = await canvas.convertToBlob({ type, quality });
  } else {
    blob = await new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob failed'))), type, quality));
  }
  return { data: blob, contentType: blob.type || type, timestamp, width: canvas.width, height: canvas.height };
}

/** Draws `count` frames of a playing <video> onto a canvas, `intervalMs` apart. */
export async function captureFromVideo(video, { count = 1, intervalMs = 200, type = 'image/jpeg', quality = 0.92 } = {}) {
  const width = video.videoWidth;
  const height = video.videoHeight;
  const canvas = typeof OffscreenCanvas !== 'undefined'
    ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d');
  const frames = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, intervalMs));
    const timestamp = Date.now();
    ctx.drawImage(video, 0, 0, width, height);
    frames.push(await frameFromCanvas(canvas, { type, quality, timestamp }));
  }
  return frames;
}

/**
 * Captures a timed frame sequence from a playing <video> for a challenge capture (SPEC.md 5.2):
 * one frame every 1000/fps ms for durationMs (at most `maxFrames`, default LIMITS.maxChallengeFrames),
 * each stamped with Date.now() when it was drawn. Frames are scaled down to fit maxWidth x maxHeight
 * (default 640x480, keeping the aspect ratio) and encoded as JPEG at `quality` (default 0.85), which
 * keeps 64 frames within the server's 10 MiB request limit (SPEC.md 8).
 *   onFrame(frame, index, elapsedMs): called after each frame (e.g. to advance prompts); returning
 *     false stops the capture early.
 *   signal: an AbortSignal that stops the capture (the frames so far are returned).
 *   clock / sleep: injectable for tests (default Date.now and setTimeout).
 * Resolves to { frames, captureStart, captureEnd, width, height }.
 */
export async function captureSequence(video, {
  fps = 5, durationMs = 10000, maxFrames = LIMITS.maxChallengeFrames, maxWidth = 640, maxHeight = 480,
  type = 'image/jpeg', quality = 0.85, onFrame, signal, canvas,
  clock = () => Date.now(), sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
} = {}) {
  if (!(fps > 0) || !(durationMs > 0)) throw new Error('fps and durationMs must be positive');
  if (!(maxFrames >= 1 && maxFrames <= LIMITS.maxChallengeFrames)) {
    throw new Error(`maxFrames must be 1-${LIMITS.maxChallengeFrames}`);
  }
  const scale = Math.min(1, maxWidth / video.videoWidth, maxHeight / video.videoHeight);
  const width = Math.max(1, Math.round(video.videoWidth * scale));
  const height = Math.max(1, Math.round(video.videoHeight * scale));
  const target = canvas ?? (typeof OffscreenCanvas !== 'undefined'
    ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement('canvas'), { width, height }));
  target.width = width;
  target.height = height;
  const ctx = target.getContext('2d');
  const interval = 1000 / fps;
  const count = Math.min(maxFrames, Math.max(1, Math.floor(durationMs / interval)));
  const captureStart = clock();
  const frames = [];
  for (let i = 0; i < count; i++) {
    if (signal && signal.aborted) break;
    const due = captureStart + i * interval;
    const wait = due - clock();
    if (wait > 0) await sleep(wait);
    const timestamp = clock();
    ctx.drawImage(video, 0, 0, width, height);
    const frame = await frameFromCanvas(target, { type, quality, timestamp });
    frames.push(frame);
    if (onFrame && (await onFrame(frame, i, timestamp - captureStart)) === false) break;
  }
  return { frames, captureStart, captureEnd: clock(), width, height };
}

/** Device facts from navigator (browser) or process (Node). */
export function defaultDeviceInfo() {
  const device = {};
  const nav = globalThis.navigator;
  if (nav) {
    if (nav.userAgent) device.userAgent = String(nav.userAgent);
    if (nav.platform) device.os = String(nav.platform);
    const uad = nav.userAgentData;
    if (uad) {
      if (uad.platform) device.os = String(uad.platform);
      if (Array.isArray(uad.brands) && uad.brands.length) {
        device.browser = uad.brands.map((b) => `${b.brand} ${b.version}`).join(', ');
      }
      if (typeof uad.mobile === 'boolean') device.mobile = String(uad.mobile);
    }
    if (nav.language) device.language = String(nav.language);
    if (nav.hardwareConcurrency) device.hardwareConcurrency = String(nav.hardwareConcurrency);
  }
  const proc = globalThis.process;
  if (proc && proc.versions && proc.versions.node) {
    device.os = device.os || String(proc.platform);
    device.arch = String(proc.arch);
    device.runtime = `Node ${proc.versions.node}`;
  }
  if (!device.model) device.model = 'unknown';
  return device;
}

async function toBytes(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data && typeof data.arrayBuffer === 'function') return new Uint8Array(await data.arrayBuffer());
  throw new Error('frame data must be a Blob, ArrayBuffer or typed array');
}

function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function unbase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function u32(n) {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function concat(parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function optionalDimension(v, name) {
  if (v === undefined || v === null) return undefined;
  const n = Math.round(Number(v));
  if (!Number.isFinite(n) || n < 1 || n > 65535) throw new Error(`${name} must be 1-65535`);
  return n;
}

/** Length of s in Unicode code points (SPEC.md 5.1); -1 when s holds an unpaired surrogate. */
export function codePoints(s) {
  let n = 0;
  for (const c of s) {
    const u = c.codePointAt(0);
    if (u >= 0xd800 && u <= 0xdfff) return -1;
    n++;
  }
  return n;
}

function text(v, name, min, max) {
  if (typeof v !== 'string') throw new Error(`${name} must be a string`);
  const n = codePoints(v);
  if (n < min || n > max) throw new Error(`${name} must be ${min}-${max} code points of well-formed Unicode`);
  return v;
}

function optionalText(v, name, max) {
  return v === undefined || v === null ? undefined : text(String(v), name, 0, max);
}

function time(v, name) {
  const n = Math.round(Number(v));
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative time in ms`);
  return n;
}

function dropUndefined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * The metadata member `challenge` (SPEC.md 5.2) from { id?, actions, prompts }: id defaults to the
 * nonce and must equal it; one prompt time per action.
 */
function challengeJson(challenge, nonce) {
  const id = challenge.id ?? challenge.challengeId ?? nonce;
  if (id !== nonce) throw new Error('challenge id must be the bundle\'s nonce');
  const { actions, prompts } = challenge;
  if (!Array.isArray(actions) || actions.length < 1 || actions.length > LIMITS.maxChallengeActions) {
    throw new Error(`a challenge has 1-${LIMITS.maxChallengeActions} actions`);
  }
  for (const a of actions) {
    if (typeof a !== 'string' || a.length > LIMITS.maxActionChars || !ACTION_PATTERN.test(a)) {
      throw new Error(`challenge action ${a} is not a name of 1-${LIMITS.maxActionChars} characters of [A-Z0-9_]`);
    }
  }
  if (!Array.isArray(prompts) || prompts.length !== actions.length) {
    throw new Error('a challenge needs one prompt time per action');
  }
  return { id, actions: [...actions], prompts: prompts.map((p, i) => {
    if (p === null || p === undefined) throw new Error(`challenge prompt ${i} is missing`);
    return time(p, `challenge prompt ${i}`);
  }) };
}

/**
 * Builds the plaintext inner body: uint32 length || metadata JSON || frame bytes...
 * frames: [{ data, contentType?, timestamp?, width?, height? }]
 */
export async function encodeInnerBody(frames, metadata) {
  const maxFrames = metadata.challenge ? LIMITS.maxChallengeFrames : LIMITS.maxFrames;
  if (!Array.isArray(frames) || frames.length < 1 || frames.length > maxFrames) {
    throw new Error(`between 1 and ${maxFrames} frames are required${metadata.challenge ? ' with a challenge' : ''}`);
  }
  const nonce = text(metadata.nonce, 'metadata.nonce', 1, LIMITS.maxNonceChars);
  const challenge = metadata.challenge ? challengeJson(metadata.challenge, nonce) : undefined;
  const images = [];
  const frameJson = [];
  const now = Date.now();
  for (const [i, f] of frames.entries()) {
    const bytes = await toBytes(f.data);
    if (bytes.length === 0) throw new Error(`frame ${i} is empty`);
    const contentType = text(f.contentType || (f.data && f.data.type) || 'image/jpeg', `frame ${i} contentType`, 1,
      LIMITS.maxContentTypeChars);
    if (!CONTENT_TYPE_PATTERN.test(contentType)) throw new Error(`frame ${i} contentType must be a media type such as image/jpeg`);
    images.push(bytes);
    frameJson.push(dropUndefined({
      contentType,
      timestamp: time(f.timestamp ?? now, `frame ${i} timestamp`),
      width: optionalDimension(f.width, `frame ${i} width`),
      height: optionalDimension(f.height, `frame ${i} height`),
      length: bytes.length,
    }));
  }
  const timestamps = frameJson.map((f) => f.timestamp);
  const device = {};
  for (const [k, v] of Object.entries(metadata.device ?? defaultDeviceInfo())) {
    if (v !== undefined && v !== null) {
      device[text(k, 'device key', 1, LIMITS.maxDeviceKeyChars)] = text(String(v), `device.${k}`, 0, LIMITS.maxTextChars);
    }
  }
  if (Object.keys(device).length > LIMITS.maxDeviceEntries) {
    throw new Error(`at most ${LIMITS.maxDeviceEntries} device entries`);
  }
  const camera = metadata.camera ? dropUndefined({
    label: optionalText(metadata.camera.label, 'camera label', LIMITS.maxTextChars),
    width: optionalDimension(metadata.camera.width, 'camera width'),
    height: optionalDimension(metadata.camera.height, 'camera height'),
    facingMode: optionalText(metadata.camera.facingMode, 'camera facingMode', LIMITS.maxTextChars),
  }) : undefined;
  const meta = dropUndefined({
    nonce,
    captureStart: time(metadata.captureStart ?? Math.min(...timestamps), 'captureStart'),
    captureEnd: time(metadata.captureEnd ?? Math.max(...timestamps), 'captureEnd'),
    device,
    camera,
    client: {
      name: text(metadata.clientName ?? CLIENT_NAME, 'clientName', 0, LIMITS.maxTextChars),
      version: text(metadata.clientVersion ?? CLIENT_VERSION, 'clientVersion', 0, LIMITS.maxTextChars),
    },
    challenge,
    frames: frameJson,
  });
  const metaBytes = utf8.encode(JSON.stringify(meta));
  if (metaBytes.length > LIMITS.maxMetadataBytes) throw new Error('metadata JSON is too large');
  const body = concat([u32(metaBytes.length), metaBytes, ...images]);
  if (body.length + TAG_BYTES > LIMITS.maxBodyBytes) throw new Error('bundle content is too large');
  return body;
}

/**
 * Encrypts an inner body to the server key and frames it (format v1).
 * key: { publicKeySpkiB64, kid }
 */
export async function sealBundle(plaintext, { publicKeySpkiB64, kid }) {
  if (!KID_PATTERN.test(kid || '')) throw new Error('kid must be 1-64 characters of [A-Za-z0-9._-]');
  const s = subtle();
  const serverKey = await s.importKey('spki', unbase64(publicKeySpkiB64), { name: 'ECDH', namedCurve: CURVE }, false, []);
  const eph = await s.generateKey({ name: 'ECDH', namedCurve: CURVE }, true, ['deriveBits']);
  const epk = new Uint8Array(await s.exportKey('raw', eph.publicKey)); // 0x04 || X || Y
  const z = await s.deriveBits({ name: 'ECDH', public: serverKey }, eph.privateKey, 256);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));

  const headerJson = utf8.encode(JSON.stringify({ kid, alg: ALG, epk: base64(epk), iv: base64(iv) }));
  if (headerJson.length > LIMITS.maxHeaderBytes) throw new Error('header is too large');
  const bodyLength = plaintext.length + TAG_BYTES;
  const aad = concat([
    new Uint8Array(MAGIC),
    new Uint8Array([FORMAT_VERSION, (headerJson.length >>> 8) & 0xff, headerJson.length & 0xff]),
    headerJson,
    u32(bodyLength),
  ]);

  const ikm = await s.importKey('raw', z, 'HKDF', false, ['deriveKey']);
  const aesKey = await s.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: epk, info: utf8.encode(`${INFO_PREFIX}${ALG}|${kid}`) },
    ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const ciphertext = new Uint8Array(await s.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, aesKey, plaintext));
  if (ciphertext.length !== bodyLength) throw new Error('unexpected AES-GCM output length');
  return concat([aad, ciphertext]);
}

/**
 * Creates a bundle (Uint8Array).
 *   target:   { server, tenant? } to fetch key (and nonce when metadata has none) from the server,
 *             or { publicKeySpkiB64, kid } with metadata.nonce given.
 *   frames:   [{ data: Blob|ArrayBuffer|Uint8Array, contentType?, timestamp?, width?, height? }]
 *             (1-16; 1-64 with a challenge)
 *   metadata: { nonce?, captureStart?, captureEnd?, device?, camera?: { label, width, height, facingMode },
 *               clientName?, clientVersion?,
 *               challenge?: { id?, actions: ['TURN_LEFT', ...], prompts: [epoch ms per action] } }
 *             A challenge capture takes its nonce from POST /challenge (fetchChallenge): pass it as
 *             metadata.nonce; challenge.id defaults to it and must equal it (SPEC.md 5.2).
 */
export async function createBundle(target, frames, metadata = {}) {
  let key = target;
  // a challenge is bound to its nonce: without an explicit nonce, the challenge's id is the nonce
  let nonce = metadata.nonce ?? (metadata.challenge && (metadata.challenge.id ?? metadata.challenge.challengeId));
  if (target && target.server) {
    if (!target.publicKeySpkiB64) {
      const k = await fetchPublicKey(target.server, target);
      key = { publicKeySpkiB64: k.publicKey, kid: k.kid };
    }
    if (!nonce) nonce = (await fetchNonce(target.server, target)).nonce;
  }
  if (!key || !key.publicKeySpkiB64 || !key.kid) throw new Error('target needs { server } or { publicKeySpkiB64, kid }');
  const body = await encodeInnerBody(frames, { ...metadata, nonce });
  return sealBundle(body, key);
}

/** Reads the clear header of a bundle (no key needed): { version, kid, alg, epk, iv }. */
export function readHeader(bundle) {
  const b = bundle instanceof Uint8Array ? bundle : new Uint8Array(bundle);
  if (b.length < 11 || MAGIC.some((m, i) => b[i] !== m)) throw new Error('not a capture bundle');
  const headerLength = (b[5] << 8) | b[6];
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(7, 7 + headerLength)));
  return { version: b[4], ...header };
}
