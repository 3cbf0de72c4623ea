// The capture page (/capture/): camera, challenge prompts, frames sealed into a capture bundle,
// the server's verdict. Plain ES module, no build step; the bundle module next to it is
// bundle/js/openbio-bundle.mjs, copied into the gateway at build time.
//
// The page's progress is on <main id="capture"> as data attributes (data-state, data-frames,
// data-video-frames, data-decision, ...) so people and tests see the same thing.

import { fetchPublicKey, createBundle, frameFromCanvas, LIMITS } from './openbio-bundle.mjs';

// Timing of the sequence. Each prompt stays up PROMPT_MS, then PAUSE_MS of "back to neutral"; the
// sequence opens with LEAD_MS of neutral face. 2.5 s is time to read a short prompt and do it
// at a comfortable pace; the pause gives the verifier the return to neutral it needs between actions.
const LEAD_MS = 1500;
const PROMPT_MS = 2500;
const PAUSE_MS = 1000;
// Frames: about 5 per second, fewer when the sequence is long enough to exceed the bundle's frame limit.
const TARGET_FPS = 5;
// Frames are scaled down so their long side is at most this (and declared at that size, SPEC 6.3):
// 64 JPEGs of 640x480 stay well under the gateway's 10 MB payload limit.
const MAX_SIDE = 640;
const JPEG_QUALITY = 0.85;
const MAX_BUNDLE_BYTES = 9 * 1024 * 1024;

const root = document.getElementById('capture');
const video = document.getElementById('video');
const promptEl = document.getElementById('prompt');
const statusEl = document.getElementById('status');
const gazeDot = document.getElementById('gaze-dot');
const progressBar = document.getElementById('progress-bar');
const openButton = document.getElementById('open-camera');
const startButton = document.getElementById('start');
const apiKeyInput = document.getElementById('api-key');

let stream = null;

function setState(state, message) {
  root.dataset.state = state;
  if (message !== undefined) statusEl.textContent = message;
}

function fail(error) {
  const message = error && error.message ? error.message : String(error);
  root.dataset.error = message;
  setState('error', `Error: ${message}`);
  promptEl.textContent = '';
  gazeDot.hidden = true;
  startButton.disabled = !stream;
  openButton.disabled = false;
}

function authHeaders() {
  const key = apiKeyInput.value.trim();
  return key ? { 'x-api-key': key } : {};
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const sleepUntil = (t) => sleep(t - Date.now());

/** Resolves once the browser has painted what was just put on screen (or after 100 ms in a hidden tab). */
function painted() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(timer); resolve(); }));
  });
}

async function answerError(response, what) {
  let detail = '';
  try {
    const body = await response.json();
    detail = body.message || body.error || JSON.stringify(body);
  } catch {
    // not JSON: the status says enough
  }
  return new Error(`${what} answered ${response.status}${detail ? `: ${detail}` : ''}`);
}

// ---- camera -------------------------------------------------------------------------------

function countVideoFrames() {
  if (typeof video.requestVideoFrameCallback !== 'function') return;
  let n = 0;
  const tick = () => {
    n += 1;
    root.dataset.videoFrames = String(n);
    if (stream) video.requestVideoFrameCallback(tick);
  };
  video.requestVideoFrameCallback(tick);
}

async function openCamera() {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    throw new Error('the camera and WebCrypto need a secure context: open this page over https (or on localhost)');
  }
  openButton.disabled = true;
  setState('opening', 'Opening the camera...');
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
    });
  } catch (e) {
    openButton.disabled = false;
    throw new Error(e && e.name === 'NotAllowedError'
      ? 'camera access was refused: allow it in the browser and open the camera again'
      : `no camera could be opened (${e && e.name ? e.name : e})`);
  }
  video.srcObject = stream;
  await video.play();
  if (!video.videoWidth) {
    await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));
  }
  root.dataset.videoSize = `${video.videoWidth}x${video.videoHeight}`;
  countVideoFrames();
  startButton.disabled = false;
  setState('ready', 'Fit your face in the oval, in good light, then start the challenge.');
}

// ---- the challenge sequence ---------------------------------------------------------------

function frameCanvas() {
  const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  return canvas;
}

/** Draws the current video frame (unmirrored: the camera's own image) and encodes it as a JPEG. */
async function grab(canvas, ctx, quality) {
  const timestamp = Date.now();
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  return frameFromCanvas(canvas, { type: 'image/jpeg', quality, timestamp });
}

/**
 * Shows the prompts one by one on a fixed schedule and captures frames throughout. Resolves to
 * { frames, promptTimes, captureStart, captureEnd }; promptTimes[i] is when prompt i was on screen.
 */
async function runSequence(challenge) {
  const actions = challenge.actions;
  const prompts = challenge.prompts && challenge.prompts.length === actions.length ? challenge.prompts : actions;
  const total = LEAD_MS + actions.length * (PROMPT_MS + PAUSE_MS);
  const maxFrames = LIMITS.maxFrames;
  const interval = Math.max(1000 / TARGET_FPS, total / Math.max(1, maxFrames - 1));
  const canvas = frameCanvas();
  const ctx = canvas.getContext('2d');
  const frames = [];
  const promptTimes = [];
  let quality = JPEG_QUALITY;
  let bytes = 0;

  const start = Date.now();
  const end = start + total;
  let capturing = true;
  const capture = (async () => {
    for (let k = 0; capturing && frames.length < maxFrames; k++) {
      const due = start + k * interval;
      if (due > end) break;
      await sleepUntil(due);
      const frame = await grab(canvas, ctx, quality);
      frames.push(frame);
      bytes += frame.data.size;
      // A camera whose frames compress badly: lower the quality so the whole capture fits.
      if (frame.data.size * maxFrames > MAX_BUNDLE_BYTES && quality > 0.5) quality = Math.max(0.5, quality - 0.1);
      root.dataset.frames = String(frames.length);
      progressBar.style.width = `${Math.min(100, (100 * (Date.now() - start)) / total)}%`;
    }
  })();

  promptEl.textContent = 'Look straight at the camera';
  for (let i = 0; i < actions.length; i++) {
    await sleepUntil(start + LEAD_MS + i * (PROMPT_MS + PAUSE_MS));
    const action = actions[i];
    promptEl.textContent = prompts[i];
    if (String(action).startsWith('GAZE_')) {
      gazeDot.dataset.corner = action;
      gazeDot.hidden = false;
    }
    await painted();
    promptTimes.push(Date.now());
    root.dataset.promptsShown = String(promptTimes.length);
    root.dataset.currentAction = action;
    await sleepUntil(start + LEAD_MS + i * (PROMPT_MS + PAUSE_MS) + PROMPT_MS);
    gazeDot.hidden = true;
    promptEl.textContent = 'Back to neutral: look straight at the camera';
    delete root.dataset.currentAction;
  }
  await sleepUntil(end);
  capturing = false;
  await capture;
  promptEl.textContent = '';
  progressBar.style.width = '100%';
  if (bytes > MAX_BUNDLE_BYTES) throw new Error(`the capture is too large to send (${bytes} bytes)`);
  return { frames, promptTimes, captureStart: frames[0].timestamp, captureEnd: Date.now(), width: canvas.width, height: canvas.height };
}

async function startChallenge() {
  startButton.disabled = true;
  openButton.disabled = true;
  document.getElementById('result').hidden = true;
  for (const name of ['decision', 'error', 'actions', 'promptsShown']) delete root.dataset[name];
  root.dataset.frames = '0';
  progressBar.style.width = '0';

  setState('challenge', 'Getting a challenge from the server...');
  const key = await fetchPublicKey(location.origin);
  const response = await fetch('/challenge', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...authHeaders() },
    body: '{}',
  });
  if (!response.ok) throw await answerError(response, 'POST /challenge');
  const challenge = await response.json();
  root.dataset.actions = challenge.actions.join(',');

  setState('capturing', 'Follow the prompts.');
  const capture = await runSequence(challenge);

  setState('sealing', `Encrypting ${capture.frames.length} frames...`);
  const track = stream.getVideoTracks()[0];
  const bundle = await createBundle({ publicKeySpkiB64: key.publicKey, kid: key.kid }, capture.frames, {
    nonce: challenge.nonce,
    captureStart: capture.captureStart,
    captureEnd: capture.captureEnd,
    // The size of the frames sent (they are scaled: SPEC 6.3), the camera's own label.
    camera: { label: track ? track.label : undefined, width: capture.width, height: capture.height, facingMode: 'user' },
    challenge: { id: challenge.nonce, actions: challenge.actions, prompts: capture.promptTimes },
  });

  setState('verifying', 'Checking...');
  const verify = await fetch('/challenge/verify', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream', ...authHeaders() },
    body: bundle,
  });
  if (!verify.ok) throw await answerError(verify, 'POST /challenge/verify');
  const verdict = await verify.json();
  showVerdict(verdict);
  root.dataset.decision = verdict.decision;
  setState('done', verdict.decision === 'PASS' ? 'Done: live person verified.' : 'Done: not verified. You can try again.');
  startButton.disabled = false;
  openButton.disabled = true;
}

// ---- the verdict --------------------------------------------------------------------------

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = value === undefined || value === null ? '' : String(value);
  if (className) td.className = className;
  return td;
}

function number(value) {
  return typeof value === 'number' ? (Math.round(value * 1000) / 1000).toString() : value;
}

function showVerdict(verdict) {
  const decision = document.getElementById('decision');
  decision.textContent = verdict.decision;
  decision.dataset.decision = verdict.decision;
  document.getElementById('reason').textContent = verdict.reason || '';

  const body = document.querySelector('#evidence tbody');
  body.replaceChildren();
  (verdict.actions || []).forEach((a, i) => {
    const row = body.insertRow();
    row.dataset.action = a.action;
    row.dataset.found = String(Boolean(a.found));
    cell(row, i + 1);
    cell(row, a.action);
    cell(row, a.found ? 'yes' : 'no', a.found ? 'yes' : 'no');
    cell(row, a.found ? `${a.startFrame}-${a.endFrame}` : '');
    cell(row, a.measure);
    cell(row, number(a.peak));
    cell(row, number(a.threshold));
    cell(row, a.note);
  });

  const summary = document.getElementById('summary');
  summary.replaceChildren();
  const add = (term, value) => {
    if (value === undefined || value === null) return;
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = typeof value === 'object' ? JSON.stringify(value) : String(number(value));
    summary.append(dt, dd);
  };
  add('request id', verdict.requestId);
  add('frames', verdict.frames);
  add('best frame', verdict.bestFrame);
  add('passive liveness of the best frame', verdict.passiveScore);
  for (const [name, signal] of Object.entries(verdict.signals || {})) add(`signal ${name}`, signal);

  document.getElementById('answer').textContent = JSON.stringify(verdict, null, 2);
  document.getElementById('result').hidden = false;
}

openButton.addEventListener('click', () => openCamera().catch(fail));
startButton.addEventListener('click', () => startChallenge().catch(fail));
