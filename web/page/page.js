// The page's main thread: choosing files, the options, the worker that converts, the results.
// Nothing here decides what a document says: the worker runs ocs's own library (WebAssembly), and
// this only moves bytes between the user's files, the worker and download links. Nothing is sent
// anywhere (the page's Content-Security-Policy forbids every request) and nothing is stored.
'use strict';
(() => {
  const TEXT = {
    'zh-TW': {
      title: 'ocs 職能基準轉換',
      lead: '把職能基準的試算表（.xlsx .xls .ods .csv）或文件（.odt .docx）轉成正式的職能基準表（PDF、試算表、文件）、職能矩陣與檢核表，並檢查格式。全部在這台電腦上完成：不連網、不上傳、不儲存。',
      'other-lang': 'English',
      'step-choose': '1. 選擇要轉換的檔案',
      'drop-here': '把檔案或資料夾拖到這裡，或：',
      'choose-files': '選擇檔案…',
      'choose-folder': '選擇資料夾…',
      formats: '可讀取：Excel（.xlsx .xls）、OpenDocument 試算表（.ods）、CSV、OpenDocument 文字（.odt）、Word（.docx）。',
      chosen: (n) => `已選擇 ${n} 個檔案`,
      clear: '清除',
      options: '選項（可不設定）',
      outputs: '要產生的檔案',
      repairs: '修正',
      fix: '自動修正可確定的錯誤（如同 --fix），並在報告中列出每一項修正',
      roles: '角色檔（選用）',
      'roles-what': '為每個角色產生檢核表：TOML 檔，每行「角色名稱 = [\"T1.1\", \"T2.1\"]」。',
      font: 'PDF 字型',
      'font-embedded': '內建的 Noto Sans TC（建議）',
      'font-file': '使用這個字型檔：',
      run: '2. 開始轉換',
      cancel: '停止',
      loading: '正在準備轉換程式…',
      ready: '',
      'no-files': '請先選擇檔案。',
      progress: (done, total) => `已處理 ${done}／${total} 個檔案`,
      reading: '正在讀取檔案…',
      cancelled: '已停止轉換。可以重新開始。',
      crashed: (why) => `轉換中止：${why}。這個檔案可能太大或已損壞；請檢查後再試一次。`,
      'start-failed': (why) => `無法開始轉換：${why}`,
      'step-result': '3. 結果',
      'download-zip': '全部下載（.zip）',
      downloads: '逐一下載每個檔案',
      privacy: '本頁不會連上網路，也不會保存任何資料；關閉分頁後，選擇的檔案與轉換結果都會消失。',
      'goto-amend': '要比較同一職能基準的兩個版本？請到下方的「修正對照表」。',
      'step-amend': '修正對照表：比較同一職能基準的兩個版本',
      'amend-what': '選擇修正前與修正後的檔案（任何可讀取的格式），產生修正對照表（PDF、ODT、Excel、ODS）、各項修正的 JSON 與更新說明，與命令列的 ocs diff 相同。',
      'amend-old': '修正前的版本',
      'amend-new': '修正後的版本',
      'amend-fix': '比較前對兩個版本自動修正可確定的錯誤（如同 --fix）',
      'amend-force': '兩個檔案的職能基準代碼不同時仍然比較',
      compare: '比較並產生修正對照表',
      'amend-choose': '請選擇修正前與修正後的兩個檔案。',
      'amend-working': '正在比較…',
      'amend-same': (old, neu) => `${old} 與 ${neu} 內容相同，無修正。`,
      'amend-changes': (old, neu, n) => `${old} → ${neu}：${n} 項修正。`,
      'amend-force-hint': '未比較。若確定要比較這兩份不同的職能基準，請勾選「兩個檔案的職能基準代碼不同時仍然比較」再試一次。',
      'amend-refused': '未比較，原因如下。',
      'amend-messages': '兩個版本的檢查訊息（與 ocs diff 所列相同）：',
      output: {
        json: 'JSON 資料（CODE.json）', csv: 'CSV 表格（CODE.csv）', xlsx: 'Excel 職能基準表（CODE.xlsx）',
        ods: 'OpenDocument 試算表（CODE.ods）', pdf: 'PDF 職能基準表（CODE.pdf）', odt: 'OpenDocument 文字（CODE.odt）',
        matrix: '職能矩陣（CODE-matrix.pdf）', checklist: '檢核表（CODE-checklist.* 與各角色）',
      },
    },
    en: {
      title: 'ocs — occupational competency standards',
      lead: 'Turns a competency standard\'s spreadsheet (.xlsx .xls .ods .csv) or document (.odt .docx) into the official table (PDF, spreadsheets, text), the competency matrix and the checklists, and checks it. Everything happens on this computer: nothing is sent, uploaded or stored.',
      'other-lang': '中文',
      'step-choose': '1. Choose the files to convert',
      'drop-here': 'Drop files or a folder here, or:',
      'choose-files': 'Choose files…',
      'choose-folder': 'Choose a folder…',
      formats: 'Reads Excel (.xlsx .xls), OpenDocument spreadsheets (.ods), CSV, OpenDocument text (.odt) and Word (.docx).',
      chosen: (n) => `${n} file${n === 1 ? '' : 's'} chosen`,
      clear: 'Clear',
      options: 'Options (optional)',
      outputs: 'Files to make',
      repairs: 'Repairs',
      fix: 'Repair what can be repaired for certain (like --fix), listing each repair in the report',
      roles: 'Roles file (optional)',
      'roles-what': 'A checklist for each role: a TOML file with lines like role name = ["T1.1", "T2.1"].',
      font: 'Font of the PDFs',
      'font-embedded': 'The embedded Noto Sans TC (recommended)',
      'font-file': 'This font file:',
      run: '2. Convert',
      cancel: 'Stop',
      loading: 'Getting the converter ready…',
      ready: '',
      'no-files': 'Choose files first.',
      progress: (done, total) => `${done} of ${total} files done`,
      reading: 'Reading the files…',
      cancelled: 'Stopped. You can start again.',
      crashed: (why) => `The conversion stopped: ${why}. A file may be too large or damaged; check it and try again.`,
      'start-failed': (why) => `The conversion could not start: ${why}`,
      'step-result': '3. Results',
      'download-zip': 'Download everything (.zip)',
      downloads: 'Download each file',
      privacy: 'This page never goes on the network and stores nothing: close the tab and the chosen files and the results are gone.',
      'goto-amend': 'Comparing two versions of a standard? See the amendment table (修正對照表) below.',
      'step-amend': 'Amendment table: compare two versions of a standard',
      'amend-what': 'Choose the earlier and the later version (any format the page reads) to make the amendment table (修正對照表: PDF, ODT, Excel, ODS), the changes as JSON and the update note (更新說明), as ocs diff does.',
      'amend-old': 'The earlier version',
      'amend-new': 'The later version',
      'amend-fix': 'Repair both versions before comparing (like --fix)',
      'amend-force': 'Compare even when the two files hold different standards (their codes differ)',
      compare: 'Compare and make the amendment table',
      'amend-choose': 'Choose both files: the earlier version and the later one.',
      'amend-working': 'Comparing…',
      'amend-same': (old, neu) => `${old} and ${neu} say the same: no change.`,
      'amend-changes': (old, neu, n) => `${old} → ${neu}: ${n} change${n === 1 ? '' : 's'}.`,
      'amend-force-hint': 'Nothing compared. To compare these two different standards anyway, tick "Compare even when the two files hold different standards" and try again.',
      'amend-refused': 'Nothing compared, for the reasons below.',
      'amend-messages': 'What checking the two versions found (as ocs diff lists it):',
      output: {
        json: 'JSON data (CODE.json)', csv: 'CSV table (CODE.csv)', xlsx: 'Excel official table (CODE.xlsx)',
        ods: 'OpenDocument spreadsheet (CODE.ods)', pdf: 'PDF official table (CODE.pdf)', odt: 'OpenDocument text (CODE.odt)',
        matrix: 'Competency matrix (CODE-matrix.pdf)', checklist: 'Checklists (CODE-checklist.* and one per role)',
      },
    },
  };
  /// The outputs in the order of `ocs build --only`.
  const OUTPUTS = ['json', 'csv', 'xlsx', 'ods', 'pdf', 'odt', 'matrix', 'checklist'];
  const INPUT = /\.(xlsx|xlsm|xls|ods|csv|odt|docx)$/i;

  const $ = (id) => document.getElementById(id);
  const body = document.body;
  let lang = preferredLanguage();
  let chosen = []; // {path, file}
  let worker = null;
  let ready = false;
  let running = null; // 'build' or 'compare' while the worker works on it
  const urls = {}; // blob URLs of each task's last results, revoked when replaced

  /// zh-TW unless the browser prefers English (its first language that is Chinese or English).
  function preferredLanguage() {
    for (const tag of navigator.languages || [navigator.language || '']) {
      const t = String(tag).toLowerCase();
      if (t.startsWith('zh')) return 'zh-TW';
      if (t.startsWith('en')) return 'en';
    }
    return 'zh-TW';
  }

  function t(key, ...args) {
    const value = TEXT[lang][key];
    return typeof value === 'function' ? value(...args) : value;
  }

  function translate() {
    document.documentElement.lang = lang;
    document.title = t('title');
    for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);
    $('ocs-lang').textContent = t('other-lang');
    const box = $('ocs-outputs-choice');
    const checked = new Set(selectedOutputs());
    box.textContent = '';
    for (const kind of OUTPUTS) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.value = kind;
      input.checked = checked.size === 0 || checked.has(kind);
      input.id = `ocs-output-${kind}`;
      label.append(input, ' ', TEXT[lang].output[kind]);
      box.append(label);
    }
    showChosen();
  }

  function selectedOutputs() {
    return [...document.querySelectorAll('#ocs-outputs-choice input:checked')].map((input) => input.value);
  }

  function setState(state) {
    body.dataset.state = state;
  }

  function say(text) {
    $('ocs-message').textContent = text || '';
  }

  // ---- choosing files ----

  function choose(entries) {
    const byPath = new Map(chosen.map((c) => [c.path, c]));
    for (const entry of entries) {
      const name = entry.path.split('/').pop();
      // What `ocs build FOLDER` skips: hidden files and Office's lock files.
      if (!INPUT.test(name) || entry.path.split('/').some((part) => part.startsWith('.') || part.startsWith('~'))) continue;
      byPath.set(entry.path, entry);
    }
    // Sorted by path, as ocs walks a folder: the same files in the same order give the same report.
    chosen = [...byPath.values()].sort((a, b) => compareCodePoints(a.path, b.path));
    showChosen();
  }

  function compareCodePoints(a, b) {
    const x = [...a].map((c) => c.codePointAt(0));
    const y = [...b].map((c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }

  function showChosen() {
    $('ocs-chosen').hidden = chosen.length === 0;
    $('ocs-chosen-count').textContent = t('chosen', chosen.length);
    const list = $('ocs-chosen-list');
    list.textContent = '';
    for (const c of chosen) {
      const item = document.createElement('li');
      item.textContent = c.path;
      list.append(item);
    }
    $('ocs-run').disabled = !ready || Boolean(running) || chosen.length === 0;
    $('ocs-compare').disabled = !ready || Boolean(running);
  }

  function fromInput(input) {
    return [...input.files].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
  }

  /// Every file of a dropped item, folders walked.
  async function dropped(items) {
    const found = [];
    const walk = async (entry, prefix) => {
      if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        found.push({ path: prefix + entry.name, file });
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        for (;;) {
          const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
          if (batch.length === 0) break;
          for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
        }
      }
    };
    const entries = [...items].map((item) => (item.webkitGetAsEntry ? item.webkitGetAsEntry() : null));
    for (const entry of entries) if (entry) await walk(entry, '');
    return found;
  }

  // ---- the worker ----

  function startWorker() {
    ready = false;
    const source = $('ocs-worker-source').textContent;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    worker = new Worker(url);
    URL.revokeObjectURL(url);
    worker.onmessage = (event) => received(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      failed(event.message || 'worker error');
    };
    worker.postMessage({ type: 'init', wasm: $('ocs-wasm').textContent });
  }

  function received(message) {
    switch (message.type) {
      case 'ready':
        ready = true;
        if (body.dataset.state === 'loading') setState('idle');
        say('');
        showChosen();
        break;
      case 'warm':
        // The worker's warm-up is over (worker.js): tests and bench/web.py read this.
        body.dataset.warm = 'done';
        break;
      case 'progress':
        $('ocs-progress').max = message.total;
        $('ocs-progress').value = message.done;
        $('ocs-progress-text').textContent = t('progress', message.done, message.total);
        break;
      case 'done':
        finished(message);
        break;
      case 'compared':
        compared(message);
        break;
      case 'refused':
        if (running === 'compare') {
          stopRunning();
          sayAmend(t('start-failed', message.message), 'error');
          break;
        }
        stopRunning();
        say(t('start-failed', message.message));
        setState('error');
        break;
      case 'failed':
        failed(message.message);
        break;
    }
  }

  /// The worker died (out of memory, a trap) or could not load: say so, and get a fresh one.
  function failed(why) {
    const wasRunning = running;
    stopRunning();
    if (worker) worker.terminate();
    if (wasRunning === 'compare') {
      sayAmend(t('crashed', why), 'error');
    } else {
      say(wasRunning ? t('crashed', why) : t('start-failed', why));
      setState('error');
    }
    startWorker();
  }

  function stopRunning() {
    running = null;
    $('ocs-cancel').hidden = true;
    $('ocs-progress-box').hidden = true;
    showChosen();
  }

  function run() {
    if (!ready || running) return;
    if (chosen.length === 0) {
      say(t('no-files'));
      return;
    }
    running = 'build';
    setState('working');
    say(t('reading'));
    $('ocs-result').hidden = true;
    $('ocs-cancel').hidden = false;
    $('ocs-progress-box').hidden = false;
    $('ocs-progress').value = 0;
    $('ocs-progress-text').textContent = '';
    showChosen();
    const font = chosenFont();
    const roles = $('ocs-roles').files[0] || null;
    worker.postMessage({
      type: 'run',
      lang,
      files: chosen.map((c) => ({ path: c.path, file: c.file })),
      options: {
        outputs: selectedOutputs(),
        fix: $('ocs-fix').checked,
        roles: roles && { name: roles.name, file: roles },
        font: font && { name: font.name, file: font },
      },
    });
  }

  /// The font file chosen under the options, or null for the embedded one.
  function chosenFont() {
    const fontChoice = document.querySelector('input[name="ocs-font"]:checked').value;
    return fontChoice === 'file' ? $('ocs-font').files[0] || null : null;
  }

  function cancel() {
    if (!running) return;
    worker.terminate();
    stopRunning();
    say(t('cancelled'));
    setState('idle');
    startWorker();
  }

  function finished(result) {
    stopRunning();
    say('');
    const links = offer(result, 'build', $('ocs-outputs'), $('ocs-zip'));
    $('ocs-summary').textContent = result.summary;
    const report = $('ocs-report');
    report.innerHTML = result.report; // ocs's report, every text escaped by it
    // The report links each output by its path in OUT/: point them at the files in hand.
    for (const a of report.querySelectorAll('a[href]')) {
      const url = links.get(a.getAttribute('href'));
      if (url) {
        a.href = url;
        a.download = a.getAttribute('href').split('/').pop();
      } else if (!a.getAttribute('href').startsWith('#')) {
        a.removeAttribute('href');
      }
    }
    $('ocs-result').hidden = false;
    setState('done');
  }

  /// Download links for made files, listed in `list`, and the zip on `zipLink`; the links by path.
  /// The previous links of the same task are revoked.
  function offer(result, task, list, zipLink) {
    for (const url of urls[task] || []) URL.revokeObjectURL(url);
    urls[task] = [];
    const links = new Map();
    list.textContent = '';
    for (const output of result.outputs) {
      const url = URL.createObjectURL(new Blob([output.bytes], { type: mime(output.path) }));
      urls[task].push(url);
      links.set(output.path, url);
      const item = document.createElement('li');
      const a = document.createElement('a');
      a.href = url;
      a.download = output.path.split('/').pop();
      a.textContent = output.path;
      item.append(a);
      list.append(item);
    }
    const zip = URL.createObjectURL(new Blob([result.zip], { type: 'application/zip' }));
    urls[task].push(zip);
    zipLink.href = zip;
    return links;
  }

  // ---- the amendment table (ocs diff) ----

  function sayAmend(text, state) {
    $('ocs-amend-message').textContent = text || '';
    $('ocs-amend').dataset.state = state;
  }

  function compare() {
    if (!ready || running) return;
    const old = $('ocs-old').files[0];
    const neu = $('ocs-new').files[0];
    $('ocs-amended').hidden = true;
    $('ocs-amend-said').hidden = true;
    if (!old || !neu) {
      sayAmend(t('amend-choose'), 'idle');
      return;
    }
    running = 'compare';
    sayAmend(t('amend-working'), 'working');
    showChosen();
    const font = chosenFont();
    worker.postMessage({
      type: 'compare',
      lang,
      files: [{ path: old.name, file: old }, { path: neu.name, file: neu }],
      force: $('ocs-amend-force').checked,
      options: { fix: $('ocs-amend-fix').checked, font: font && { name: font.name, file: font } },
    });
  }

  function compared(result) {
    stopRunning();
    const list = $('ocs-amend-messages');
    list.textContent = '';
    for (const message of result.messages) {
      const item = document.createElement('li');
      item.textContent = message;
      list.append(item);
    }
    $('ocs-amend-said').hidden = result.messages.length === 0;
    if (result.refused) {
      sayAmend(result.needsForce ? t('amend-force-hint') : t('amend-refused'), 'refused');
      return;
    }
    sayAmend('', 'done');
    $('ocs-amend-headline').textContent =
      result.changes === 0 ? t('amend-same', result.old, result.new) : t('amend-changes', result.old, result.new, result.changes);
    $('ocs-amend-summary').textContent = result.summary;
    $('ocs-amend-summary').hidden = result.summary === '';
    offer(result, 'compare', $('ocs-amend-outputs'), $('ocs-amend-zip'));
    const first = result.outputs[0];
    $('ocs-amend-zip').download = first ? `${first.path.replace(/\.[^.]*$/, '')}.zip` : 'ocs.zip';
    $('ocs-amended').hidden = false;
  }

  function mime(path) {
    const ext = path.split('.').pop().toLowerCase();
    return {
      pdf: 'application/pdf', json: 'application/json', csv: 'text/csv', html: 'text/html',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ods: 'application/vnd.oasis.opendocument.spreadsheet', odt: 'application/vnd.oasis.opendocument.text',
    }[ext] || 'application/octet-stream';
  }

  // ---- wiring ----

  $('ocs-files').addEventListener('change', (event) => {
    choose(fromInput(event.target));
    event.target.value = '';
  });
  $('ocs-folder').addEventListener('change', (event) => {
    choose(fromInput(event.target));
    event.target.value = '';
  });
  $('ocs-clear').addEventListener('click', () => {
    chosen = [];
    showChosen();
  });
  $('ocs-run').addEventListener('click', run);
  $('ocs-compare').addEventListener('click', compare);
  $('ocs-cancel').addEventListener('click', cancel);
  $('ocs-lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'zh-TW' : 'en';
    translate();
  });
  $('ocs-font').addEventListener('change', () => {
    document.querySelector('input[name="ocs-font"][value="file"]').checked = true;
  });
  const drop = $('ocs-drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    choose(await dropped(event.dataTransfer.items));
  });
  // A file dropped anywhere else must not make the browser open it in place of the page.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());

  translate();
  say(t('loading'));
  try {
    startWorker();
  } catch (error) {
    say(t('start-failed', String(error)));
    setState('error');
  }
})();
