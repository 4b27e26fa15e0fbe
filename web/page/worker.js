// The page's worker: runs ocs (WebAssembly, the same library as the command line) over the chosen
// files, so that the page stays responsive and a runaway conversion can be ended by terminating
// it. wasm-bindgen's glue (no-modules target) comes before this script and defines `wasm_bindgen`.
'use strict';

let ocs = null;
// Whether the page has asked for a conversion or a comparison yet (then there is no warming up).
let worked = false;

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text.trim());
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/// A job with the message's options and files; null (after saying why) when an option is refused.
async function prepare(message) {
  const job = new ocs.Job(message.lang);
  const { options } = message;
  const refuse = (text) => {
    job.free();
    postMessage({ type: 'refused', message: text });
    return null;
  };
  let problem = options.outputs ? job.outputs(options.outputs.join(',')) : null;
  if (problem) return refuse(problem);
  job.fix(options.fix);
  if (options.roles) {
    problem = job.roles(options.roles.name, await options.roles.file.text());
    if (problem) return refuse(problem);
  }
  if (options.font) {
    problem = job.font(options.font.name, new Uint8Array(await options.font.file.arrayBuffer()));
    if (problem) return refuse(problem);
  }
  // A file over the size limit is not read into memory at all: ocs reports it from its size.
  const limit = job.max_file_size();
  for (const { path, file } of message.files) {
    if (file.size > limit) job.too_large(path, file.size);
    else job.input(path, new Uint8Array(await file.arrayBuffer()));
  }
  return job;
}

/// The files a run made (a `Made`, freed here), and the buffers to hand over rather than copy.
function files(made) {
  const outputs = [];
  const transfer = [];
  for (let i = 0; i < made.count(); i++) {
    const bytes = made.bytes(i);
    outputs.push({ path: made.path(i), bytes });
    transfer.push(bytes.buffer);
  }
  const zip = made.zip();
  transfer.push(zip.buffer);
  made.free();
  return { outputs, zip, transfer };
}

async function run(message) {
  const job = await prepare(message);
  if (!job) return;
  const built = job.run((done, total) => postMessage({ type: 'progress', done, total }));
  const { outputs, zip, transfer } = files(built.files());
  const result = { type: 'done', outputs, zip, report: built.report(), summary: built.summary(), failed: built.failed() };
  built.free();
  postMessage(result, transfer);
}

/// `ocs diff`: the two files, the earlier version first.
async function compare(message) {
  const job = await prepare(message);
  if (!job) return;
  const compared = job.compare(message.force);
  const { outputs, zip, transfer } = files(compared.files());
  const result = {
    type: 'compared', outputs, zip, messages: compared.messages(), summary: compared.summary(),
    old: compared.old_code(), new: compared.new_code(), changes: compared.changes(),
    needsForce: compared.needs_force(), refused: compared.refused(),
  };
  compared.free();
  postMessage(result, transfer);
}


/// While the clerk chooses files, convert the bundled sample into each output in turn
/// (ocs.warm_up), so that the browser has compiled the converter's busy code fully before their
/// first conversion. Each phase is a task of its own: a conversion or comparison asked for meanwhile
/// runs after the phase under way, and no phase follows it.
function warmUp(phase) {
  let more = false;
  if (!worked) {
    try {
      more = ocs.warm_up(phase);
    } catch (_) {
      // Only a head start: a failure here shows in the clerk's own conversion, if anywhere.
    }
  }
  if (more) setTimeout(() => warmUp(phase + 1), 0);
  else postMessage({ type: 'warm' });
}

onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === 'init') {
      const packed = new Blob([decodeBase64(message.wasm)]).stream().pipeThrough(new DecompressionStream('gzip'));
      wasm_bindgen.initSync({ module: await new Response(packed).arrayBuffer() });
      ocs = wasm_bindgen;
      postMessage({ type: 'ready' });
      setTimeout(() => warmUp(0), 0);
    } else if (message.type === 'run') {
      worked = true;
      await run(message);
    } else if (message.type === 'compare') {
      worked = true;
      await compare(message);
    }
  } catch (error) {
    postMessage({ type: 'failed', message: String(error && error.message ? error.message : error) });
  }
};
