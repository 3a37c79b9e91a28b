// Drives the /web page in headless Debian Chromium: voices load, Speak synthesizes, the <audio> element gets a
// playable source, and (when the service has captions) words are shown and highlighted as the audio moves.
// Usage: node web-test.mjs <baseUrl> [--format mp3] [--text "..."] [--mix af_bella+af_sky] [--fake-captions] [--live]
// --live types the text into "Type and hear" instead, a key at a time, and checks that the speech socket's audio
// started while the text was still being typed and that the flush ended with a completed response.
// --fake-captions answers /dev/captioned_speech in the browser from /v1/audio/speech with evenly spaced word times,
// so the highlighting code is exercised whether or not the service has the caption endpoint.
// Prints one JSON verdict line on stdout; exit code 0 only when every check passed.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    format: { type: 'string', default: 'mp3' },
    text: { type: 'string', default: 'Hello from the web page. It reads $5.3 thousand at 10:35 pm.' },
    mix: { type: 'string', default: '' },
    'fake-captions': { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    timeout: { type: 'string', default: '20000' },
  },
});

const baseUrl = positionals[0]?.replace(/\/+$/, '');
const timeout = Number(values.timeout);
const verdict = { ok: false, url: null, checks: {}, captions: null, words: 0, highlighted: null, audio: null, live: null, consoleErrors: [], ignored: [], error: null };

function finish(code) {
  process.stdout.write(JSON.stringify(verdict) + '\n');
  process.exit(code);
}

if (!baseUrl) {
  verdict.error = 'usage: node web-test.mjs <baseUrl>';
  finish(2);
}
if (!existsSync(values.chromium)) {
  verdict.error = `Chromium not found at ${values.chromium}; run scripts/setup.sh (apt-get install chromium).`;
  finish(3);
}

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  verdict.error = `playwright-core is not installed (${e.code ?? e.message}); run scripts/setup.sh (npm ci in tests/web).`;
  finish(3);
}

const browser = await chromium.launch({
  executablePath: values.chromium,
  headless: true,
  timeout: timeout,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
});

try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  const origin = new URL(baseUrl).origin;

  // A service without the caption endpoint answers 404 there and the page falls back by design; Chromium still
  // logs the failed load, so that one message is expected and recorded rather than counted as an error.
  page.on('console', message => {
    if (message.type() !== 'error') return;
    const where = message.location()?.url ?? '';
    const entry = { text: message.text(), url: where };
    if (/status of 40[45]/.test(entry.text) && where.endsWith('/dev/captioned_speech')) verdict.ignored.push(entry);
    else verdict.consoleErrors.push(entry);
  });
  page.on('pageerror', error => verdict.consoleErrors.push({ text: `uncaught: ${error.message}`, url: '' }));
  page.on('request', request => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) {
      verdict.consoleErrors.push({ text: `external request: ${url}`, url });
    }
  });

  if (values['fake-captions']) {
    verdict.checks.fakeCaptions = true;
    await page.route('**/dev/captioned_speech', async route => {
      const body = route.request().postDataJSON();
      const speech = await route.fetch({ url: `${baseUrl}/v1/audio/speech` });
      if (!speech.ok()) return route.fulfill({ response: speech });
      const words = body.input.split(/\s+/).filter(Boolean);
      const timestamps = words.map((word, i) => ({ word, start_time: i * 0.3, end_time: i * 0.3 + 0.25 }));
      const audio = (await speech.body()).toString('base64');
      await route.fulfill({ json: { audio, audio_format: body.response_format, timestamps, timestamp_source: 'fake' } });
    });
  }

  verdict.url = `${baseUrl}/web`;
  const response = await page.goto(verdict.url, { waitUntil: 'domcontentloaded' });
  verdict.checks.pageStatus = response?.status() ?? null;
  if (response?.status() !== 200) throw new Error(`GET /web answered ${response?.status()}`);

  await page.waitForFunction(() => document.body.dataset.state !== 'loading');
  const voices = await page.evaluate(() => Number(document.body.dataset.voices ?? 0));
  verdict.checks.voices = voices;
  if (voices < 1) throw new Error(`the voice list did not load: ${await page.textContent('#status')}`);

  if (values.live) {
    await typeAndHear(page);
  } else {
    await speakAndPlay(page);
  }

  if (verdict.consoleErrors.length) throw new Error(`${verdict.consoleErrors.length} console error(s)`);
  verdict.ok = true;
} catch (e) {
  verdict.error = e.message.split('\n')[0];
} finally {
  await browser.close();
}

// "Type and hear": the text typed a key at a time into the speech socket; the first audio must come while typing.
async function typeAndHear(page) {
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.waitForFunction(() => !document.querySelector('#live-flush').disabled);
  await page.locator('#live-text').pressSequentially(values.text, { delay: 60 });
  await page.getByRole('button', { name: 'Flush the rest' }).click();
  await page.waitForFunction(() => document.querySelector('#live-text').closest('section').dataset.done);
  verdict.live = await page.evaluate(() => {
    const data = document.querySelector('#live-text').closest('section').dataset;
    return { typed: document.querySelector('#live-text').value.length, firstAudioAt: Number(data.firstAudioAt ?? -1),
      frames: Number(data.frames), seconds: Number(data.seconds), done: data.done, status: document.querySelector('#live-status').textContent };
  });
  if (verdict.live.done !== 'completed') throw new Error(`the socket's response ended ${verdict.live.done}: ${verdict.live.status}`);
  if (verdict.live.firstAudioAt < 0 || verdict.live.firstAudioAt >= verdict.live.typed) {
    throw new Error(`no audio while typing (first audio after ${verdict.live.firstAudioAt} of ${verdict.live.typed} characters)`);
  }
}

// The main form: Speak, then the <audio> element plays the answer, with captions highlighted when the service has them.
async function speakAndPlay(page) {
  await page.getByLabel('Text').fill(values.text);
  await page.getByLabel('Format').selectOption(values.format);
  if (values.mix) await page.getByLabel('Or a mix').fill(values.mix);
  await page.getByRole('button', { name: 'Speak' }).click();
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state) && !document.querySelector('#speak').disabled);
  const state = await page.evaluate(() => document.body.dataset.state);
  verdict.checks.status = await page.textContent('#status');
  if (state !== 'ready') throw new Error(`synthesis failed: ${verdict.checks.status}`);

  await page.waitForFunction(() => {
    const audio = document.querySelector('#player');
    return audio.src && audio.readyState >= 1 && Number.isFinite(audio.duration) && audio.duration > 0;
  });
  verdict.audio = await page.evaluate(() => {
    const audio = document.querySelector('#player');
    return { src: audio.src.slice(0, 5), readyState: audio.readyState, duration: audio.duration, error: audio.error?.code ?? null };
  });
  if (verdict.audio.src !== 'blob:') throw new Error(`the audio source is not an object URL: ${verdict.audio.src}`);

  verdict.captions = await page.evaluate(() => document.body.dataset.captions ?? null);
  if (verdict.captions === 'shown') {
    const timings = await page.$$eval('#words span', spans => spans.map(s => s.textContent));
    verdict.words = timings.length;
    // Seek into the middle word: the seek fires timeupdate, which must move the highlight there.
    const target = Math.floor(timings.length / 2);
    await page.evaluate(index => {
      const audio = document.querySelector('#player');
      audio.pause();
      const word = document.querySelectorAll('#words span')[index];
      audio.currentTime = (Number(word.dataset.start) + Number(word.dataset.end)) / 2;
    }, target);
    await page.waitForFunction(index => document.querySelectorAll('#words span')[index].classList.contains('current'), target);
    verdict.highlighted = await page.textContent('#words span.current');
  } else if (verdict.captions !== 'unavailable') {
    throw new Error(`captions were neither shown nor reported unavailable: ${verdict.captions}`);
  }
}

finish(verdict.ok ? 0 : 1);
