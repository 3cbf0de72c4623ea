// The capture page (/capture/): camera, challenge prompts, frames sealed into a capture bundle,
// the server's verdict. Plain ES module, no build step; the bundle module next to it is
// bundle/js/openbio-bundle.mjs, copied into the gateway at build time.
//
// The page's progress is on <main id="capture"> as data attributes (data-state, data-frames,
// data-video-frames, data-decision, ...) so people and tests see the same thing.

import { captureSequence, createBundle, fetchPublicKey, LIMITS } from './openbio-bundle.mjs';

// Timing of the sequence. Each prompt stays up PROMPT_MS, then PAUSE_MS of "back to neutral"; the
// sequence opens with LEAD_MS of neutral face. 2.5 s is time to read a short prompt and do it
// at a comfortable pace; the pause gives the verifier the return to neutral it needs between actions.
const LEAD_MS = 1500;
const PROMPT_MS = 2500;
const PAUSE_MS = 1000;
// A passive capture (a BioServer bio-session's LIVENESS_PASSIVE / PASSIVE_VIDEO): this long of the face.
const PASSIVE_MS = 3000;
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
  openButton.disabled = Boolean(stream);
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

/** fetch with the API key typed in the settings. */
const keyedFetch = (url, init = {}) => fetch(url, { ...init, headers: { ...(init.headers || {}), ...authHeaders() } });

/**
 * A Liveness Check Proxy token (seed 001, token style): the page was opened as /capture/?token=...
 * with the reference that POST /liveness/init answered. The challenge is the one issued with the
 * token and the capture goes to /liveness/capture/{token}; the token is the end user's credential
 * there (no API key needed), and the relying party then calls /liveness/verify with it.
 */
const lcpToken = new URLSearchParams(location.search).get('token');

/**
 * A BioServer bio-session (seed 003, replay liveness): the page was opened as /capture/?bioSession=<id>
 * after the integrator called init-liveness-parameters for it. The challenge is the session's (no
 * actions for the passive types: a few seconds of the face) and the capture goes to
 * /bioserver-app/v2/bio-sessions/{id}/liveness-capture; the session id is the credential there, and the
 * integrator then reads replay-liveness-metadata (or gets its callback).
 */
const bioSession = new URLSearchParams(location.search).get('bioSession');
const bioSessionPath = bioSession ? `/bioserver-app/v2/bio-sessions/${encodeURIComponent(bioSession)}` : null;

/** Checks a challenge answer (POST /challenge or GET /liveness/challenge/{token}). */
function checkedChallenge(challenge, what) {
  // a bio-session's passive liveness asks for no action
  const noneAllowed = Boolean(bioSession);
  if (typeof challenge.nonce !== 'string' || !Array.isArray(challenge.actions) || (challenge.actions.length === 0 && !noneAllowed)) {
    throw new Error(`${what} answered no nonce or actions`);
  }
  if ((challenge.challengeId ?? challenge.nonce) !== challenge.nonce) {
    throw new Error('the challenge id is not its nonce (format v1 binds the challenge to the nonce)');
  }
  return challenge;
}

/**
 * POST /challenge with the settings' number and kinds of action (seed 003's nbChallenge), or, with a
 * token, GET /liveness/challenge/{token} (the actions were chosen when the token was issued).
 */
async function requestChallenge() {
  if (bioSession) {
    const what = 'GET .../liveness-challenge';
    const response = await keyedFetch(`${bioSessionPath}/liveness-challenge`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw await answerError(response, what);
    return checkedChallenge(await response.json(), what);
  }
  if (lcpToken) {
    const what = 'GET /liveness/challenge';
    const response = await keyedFetch(`/liveness/challenge/${encodeURIComponent(lcpToken)}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw await answerError(response, what);
    return checkedChallenge(await response.json(), what);
  }
  const kinds = [...document.querySelectorAll('#kinds input[name="kind"]:checked')].map((box) => box.value);
  if (kinds.length === 0) throw new Error('choose at least one kind of action in the settings');
  const actions = Number.parseInt(document.getElementById('action-count').value, 10);
  const response = await keyedFetch('/challenge', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ actions: Number.isFinite(actions) ? actions : undefined, kinds }),
  });
  if (!response.ok) throw await answerError(response, 'POST /challenge');
  return checkedChallenge(await response.json(), 'POST /challenge');
}

/**
 * Shows the prompts one by one on a fixed schedule while the bundle module captures frames
 * (captureSequence). Resolves to { frames, promptTimes, captureStart, captureEnd, width, height };
 * promptTimes[i] is when prompt i was on screen.
 */
async function runSequence(challenge) {
  const actions = challenge.actions;
  const prompts = Array.isArray(challenge.prompts) && challenge.prompts.length === actions.length ? challenge.prompts : actions;
  // a passive capture (no action): PASSIVE_MS of the face, in a bundle without a challenge (at most LIMITS.maxFrames frames)
  const total = actions.length === 0 ? PASSIVE_MS : LEAD_MS + actions.length * (PROMPT_MS + PAUSE_MS);
  const frameLimit = actions.length === 0 ? LIMITS.maxFrames : LIMITS.maxChallengeFrames;
  // About TARGET_FPS, fewer when the sequence is long enough to exceed the frame limit.
  const fps = Math.min(TARGET_FPS, (frameLimit * 1000) / total);
  const promptTimes = [];

  promptEl.textContent = 'Look straight at the camera';
  const start = Date.now();
  const capture = captureSequence(video, {
    fps, durationMs: total, maxFrames: frameLimit, maxWidth: MAX_SIDE, maxHeight: MAX_SIDE, quality: JPEG_QUALITY,
    onFrame: (frame, index, elapsed) => {
      root.dataset.frames = String(index + 1);
      progressBar.style.width = `${Math.min(100, (100 * elapsed) / total)}%`;
    },
  });
  const show = (async () => {
    for (let i = 0; i < actions.length; i++) {
      const at = start + LEAD_MS + i * (PROMPT_MS + PAUSE_MS);
      await sleepUntil(at);
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
      await sleepUntil(at + PROMPT_MS);
      gazeDot.hidden = true;
      promptEl.textContent = 'Back to neutral: look straight at the camera';
      delete root.dataset.currentAction;
    }
  })();
  const [captured] = await Promise.all([capture, show]);
  promptEl.textContent = '';
  progressBar.style.width = '100%';
  const frames = await distinctFrames(captured.frames);
  root.dataset.frames = String(frames.length);
  root.dataset.repeatedFrames = String(captured.frames.length - frames.length);
  const bytes = frames.reduce((n, f) => n + f.data.size, 0);
  if (bytes > MAX_BUNDLE_BYTES) throw new Error(`the capture is too large to send (${bytes} bytes)`);
  return { ...captured, frames, promptTimes };
}

/**
 * The frames without repeats: a camera that delivers fewer frames per second than the page grabs
 * (low light, a busy machine) gives the same picture twice, and two byte-identical frames are an
 * injection signal on the server (frame_duplication). Only the first of identical frames is kept.
 */
async function distinctFrames(frames) {
  const seen = new Set();
  const kept = [];
  for (const frame of frames) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await frame.data.arrayBuffer()));
    const key = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (!seen.has(key)) {
      seen.add(key);
      kept.push(frame);
    }
  }
  return kept;
}

async function startChallenge() {
  startButton.disabled = true;
  openButton.disabled = true;
  document.getElementById('result').hidden = true;
  for (const name of ['decision', 'error', 'actions', 'promptsShown', 'repeatedFrames']) delete root.dataset[name];
  root.dataset.frames = '0';
  progressBar.style.width = '0';

  setState('challenge', 'Getting a challenge from the server...');
  const key = await fetchPublicKey(location.origin);
  const challenge = await requestChallenge();
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
    // a passive capture declares no challenge (a challenge member needs at least one action: SPEC)
    challenge: challenge.actions.length === 0 ? undefined : { id: challenge.nonce, actions: challenge.actions, prompts: capture.promptTimes },
  });

  setState('verifying', 'Checking...');
  const target = bioSession ? `${bioSessionPath}/liveness-capture`
    : lcpToken ? `/liveness/capture/${encodeURIComponent(lcpToken)}` : '/challenge/verify';
  const verify = await keyedFetch(target, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream' },
    body: bundle,
  });
  if (!verify.ok) throw await answerError(verify, `POST ${bioSession ? '.../liveness-capture' : lcpToken ? '/liveness/capture' : '/challenge/verify'}`);
  const verdict = await verify.json();
  showVerdict(verdict);
  root.dataset.decision = verdict.decision;
  if (lcpToken || bioSession) {
    // single use: the application now asks /liveness/verify (token) or replay-liveness-metadata (bio-session) for the result
    setState('done', 'Done: capture sent. Return to the application to finish.');
    return;
  }
  setState('done', verdict.decision === 'PASS' ? 'Done: live person verified.' : 'Done: not verified. You can try again.');
  startButton.disabled = false;
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

if (lcpToken || bioSession) {
  // the token's (bio-session's) challenge was fixed when it was issued: the action settings do not apply
  root.dataset.mode = bioSession ? 'bioSession' : 'token';
  document.getElementById('kinds').disabled = true;
  document.getElementById('action-count').disabled = true;
}
openButton.addEventListener('click', () => openCamera().catch(fail));
startButton.addEventListener('click', () => startChallenge().catch(fail));
