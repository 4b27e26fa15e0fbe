//! The web page, `dist/ocs.html` (made by `bash scripts/build-web.sh`), opened from disk in headless
//! Chromium driven through WebDriver (Debian's `chromium` and `chromium-driver`, nothing
//! downloaded): it converts the sample's six input forms and two text documents into the same bytes
//! as `ocs build`, shows the report with the defects by rule, downloads everything as one zip,
//! makes no network request, and shows a broken file's error; it makes the 修正對照表 as `ocs diff`
//! does. Firefox (Debian's `firefox-esr`, driven through Marionette) converts and compares too.

mod common;

use common::{files_under, ocs_in, root, zip_entries};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The page, built once per CI run before `cargo test`.
fn page() -> PathBuf {
    let page = root().join("dist/ocs.html");
    assert!(
        page.is_file(),
        "{} is missing: build it first with `bash scripts/build-web.sh` (CI runs it before `cargo test`)",
        page.display()
    );
    page
}

/// The WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver and one Chromium session, both ended on drop.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    fn start(downloads: &Path, profile: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (apt-get install chromium-driver)");
        let mut browser = Browser { driver, port, session: String::new() };
        let started = Instant::now();
        while browser.request("GET", "/status", None).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = serde_json::json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"performance": "ALL"},
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=zh-TW",
                         "--window-size=1280,1600", format!("--user-data-dir={}", profile.display())],
                "prefs": {"download.default_directory": downloads.display().to_string(),
                          "download.prompt_for_download": false, "intl.accept_languages": "zh-TW,zh"},
                "perfLoggingPrefs": {"enableNetwork": true, "enablePage": false},
            },
        }}});
        let created = browser.request("POST", "/session", Some(capabilities)).expect("a Chromium session");
        browser.session = created["sessionId"].as_str().expect("a session id").to_string();
        browser.command(
            "chromium/send_command",
            serde_json::json!({"cmd": "Page.setDownloadBehavior",
            "params": {"behavior": "allow", "downloadPath": downloads.display().to_string()}}),
        );
        browser
    }

    /// One WebDriver request; the response's `value`.
    fn request(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> Result<serde_json::Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(Duration::from_secs(300))).map_err(|e| e.to_string())?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            body.len()
        );
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes())).map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open: read the head, then Content-Length bytes.
        let mut response = Vec::new();
        let mut buffer = [0u8; 65536];
        let head_end = loop {
            if let Some(at) = response.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("the connection closed before the response's head".into());
            }
            response.extend_from_slice(&buffer[..n]);
        };
        let head = String::from_utf8_lossy(&response[..head_end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse::<usize>().ok()))
            .ok_or("no Content-Length")?;
        while response.len() < head_end + length {
            let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            response.extend_from_slice(&buffer[..n]);
        }
        let payload = String::from_utf8_lossy(&response[head_end..]).into_owned();
        let value: serde_json::Value = serde_json::from_str(&payload).map_err(|e| format!("{e}: {payload}"))?;
        if !head.starts_with("http/1.1 200") {
            return Err(format!("{path}: {}", value["value"]));
        }
        Ok(value["value"].clone())
    }

    /// A Chromium-only command (its logs, its DevTools).
    fn command(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let path = format!("/session/{}/{path}", self.session);
        self.request("POST", &path, Some(body)).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The URLs the browser requested since the last call.
    fn requests(&self) -> Vec<String> {
        let entries = self.command("se/log", serde_json::json!({"type": "performance"}));
        let mut urls = Vec::new();
        for entry in entries.as_array().into_iter().flatten() {
            let Some(message) = entry["message"].as_str() else { continue };
            let Ok(message) = serde_json::from_str::<serde_json::Value>(message) else { continue };
            if message["message"]["method"] == "Network.requestWillBeSent" {
                urls.push(message["message"]["params"]["request"]["url"].as_str().unwrap_or_default().to_string());
            }
        }
        urls
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// What the tests do with the page in either browser: WebDriver's commands, named as Marionette
/// (Firefox's protocol) names them; chromedriver's HTTP endpoints stand for the same.
trait Driver {
    /// One command (`Navigate`, `ExecuteScript`, `ExecuteAsyncScript`, `FindElement`,
    /// `ElementSendKeys`, `ElementClick`, `GetElementText`, `TakeScreenshot`) and its result's value.
    fn send(&self, command: &str, params: serde_json::Value) -> serde_json::Value;

    /// Open the page and wait for its converter to be ready and warmed up (worker.js converts the
    /// bundled sample into each output in turn while the clerk chooses files): what follows shows
    /// that the warm-up changes nothing the clerk's own conversion makes.
    fn open(&self, page: &Path) {
        self.send("Navigate", serde_json::json!({"url": format!("file://{}", page.display())}));
        assert_eq!(self.wait_while(&["loading"], Duration::from_secs(60)), "idle", "the page got its converter ready");
        let started = Instant::now();
        while self.script("return document.body.dataset.warm ?? ''").as_str() != Some("done") {
            assert!(started.elapsed() < Duration::from_secs(120), "the page's worker did not warm up");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn script(&self, script: &str) -> serde_json::Value {
        self.send("ExecuteScript", serde_json::json!({"script": script, "args": []}))
    }

    fn element(&self, css: &str) -> String {
        let found = self.send("FindElement", serde_json::json!({"using": "css selector", "value": css}));
        found[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}")).to_string()
    }

    fn upload(&self, files: &[PathBuf]) {
        self.upload_to("#ocs-files", files);
    }

    /// Choose files in a file input.
    fn upload_to(&self, css: &str, files: &[PathBuf]) {
        let id = self.element(css);
        let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        self.send("ElementSendKeys", serde_json::json!({"id": id, "text": paths.join("\n")}));
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.send("ElementClick", serde_json::json!({"id": id}));
    }

    /// An element's `data-state`.
    fn state_of(&self, css: &str) -> String {
        self.script(&format!("return document.querySelector('{css}').dataset.state")).as_str().unwrap_or_default().to_string()
    }

    /// Wait for `<body data-state>` to leave the given states; the state it reached.
    fn wait_while(&self, states: &[&str], limit: Duration) -> String {
        self.wait_while_in("body", states, limit)
    }

    /// Wait for an element's `data-state` to leave the given states; the state it reached.
    fn wait_while_in(&self, css: &str, states: &[&str], limit: Duration) -> String {
        let started = Instant::now();
        loop {
            let state = self.state_of(css);
            if !states.contains(&state.as_str()) {
                return state;
            }
            assert!(started.elapsed() < limit, "the page stayed `{state}` for {limit:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn text(&self, css: &str) -> String {
        let id = self.element(css);
        self.send("GetElementText", serde_json::json!({"id": id})).as_str().unwrap_or_default().to_string()
    }

    /// The window as a PNG.
    fn screenshot(&self, path: &Path) {
        let shot = self.send("TakeScreenshot", serde_json::json!({}));
        std::fs::write(path, base64_decode(shot.as_str().expect("a screenshot"))).expect("the screenshot is written");
    }
}

impl Driver for Browser {
    fn send(&self, command: &str, params: serde_json::Value) -> serde_json::Value {
        let session = format!("/session/{}", self.session);
        let id = params["id"].as_str().unwrap_or_default().to_string();
        let (method, path, body) = match command {
            "Navigate" => ("POST", format!("{session}/url"), Some(params)),
            "ExecuteScript" => ("POST", format!("{session}/execute/sync"), Some(params)),
            "ExecuteAsyncScript" => ("POST", format!("{session}/execute/async"), Some(params)),
            "FindElement" => ("POST", format!("{session}/element"), Some(params)),
            "ElementSendKeys" => ("POST", format!("{session}/element/{id}/value"), Some(serde_json::json!({"text": params["text"]}))),
            "ElementClick" => ("POST", format!("{session}/element/{id}/click"), Some(serde_json::json!({}))),
            "GetElementText" => ("GET", format!("{session}/element/{id}/text"), None),
            "TakeScreenshot" => ("GET", format!("{session}/screenshot"), None),
            other => panic!("no WebDriver endpoint for {other}"),
        };
        self.request(method, &path, body).unwrap_or_else(|e| panic!("{command}: {e}"))
    }
}

/// Firefox (Debian's `firefox-esr`) driven through Marionette, its own protocol (no geckodriver in
/// Debian): length-prefixed JSON over TCP, `[0, id, "WebDriver:…", params]` → `[1, id, error, result]`.
struct Firefox {
    process: Child,
    connection: std::cell::RefCell<(TcpStream, u32)>,
    _profile: tempfile::TempDir,
}

impl Firefox {
    fn start(downloads: &Path) -> Firefox {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let profile = tempfile::tempdir().expect("a profile folder");
        let prefs = [
            format!("user_pref(\"marionette.port\", {port});"),
            "user_pref(\"browser.download.folderList\", 2);".to_string(),
            format!("user_pref(\"browser.download.dir\", {:?});", downloads.display().to_string()),
            "user_pref(\"browser.download.useDownloadDir\", true);".to_string(),
            "user_pref(\"browser.download.always_ask_before_handling_new_types\", false);".to_string(),
            "user_pref(\"intl.accept_languages\", \"zh-TW, zh\");".to_string(),
            // Nothing of its own on the network either: no updates, telemetry or start page.
            "user_pref(\"app.update.disabledForTesting\", true);".to_string(),
            "user_pref(\"toolkit.telemetry.reportingpolicy.firstRun\", false);".to_string(),
            "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");".to_string(),
        ];
        std::fs::write(profile.path().join("user.js"), prefs.join("\n")).expect("the profile's prefs");
        let process = Command::new("firefox-esr")
            .args(["--headless", "--marionette", "--no-remote", "--profile"])
            .arg(profile.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("firefox-esr runs (apt-get install firefox-esr)");
        let started = Instant::now();
        let stream = loop {
            match TcpStream::connect(("127.0.0.1", port)) {
                Ok(stream) => break stream,
                Err(_) => {
                    assert!(started.elapsed() < Duration::from_secs(60), "Firefox's Marionette did not listen");
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        };
        stream.set_read_timeout(Some(Duration::from_secs(300))).expect("a timeout");
        let firefox = Firefox { process, connection: std::cell::RefCell::new((stream, 0)), _profile: profile };
        let hello = firefox.receive();
        assert_eq!(hello["applicationType"], "gecko", "Marionette greets: {hello}");
        firefox.call("WebDriver:NewSession", serde_json::json!({"capabilities": {}}));
        firefox
    }

    /// One message: its length in decimal, a colon, the JSON.
    fn receive(&self) -> serde_json::Value {
        let mut connection = self.connection.borrow_mut();
        let stream = &mut connection.0;
        let mut length = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            stream.read_exact(&mut byte).expect("Marionette answers");
            if byte[0] == b':' {
                break;
            }
            length.push(byte[0]);
        }
        let length: usize = String::from_utf8_lossy(&length).parse().expect("a length");
        let mut payload = vec![0u8; length];
        stream.read_exact(&mut payload).expect("the whole answer");
        serde_json::from_slice(&payload).expect("JSON")
    }

    fn call(&self, command: &str, params: serde_json::Value) -> serde_json::Value {
        let id = {
            let mut connection = self.connection.borrow_mut();
            connection.1 += 1;
            let id = connection.1;
            let message = serde_json::json!([0, id, command, params]).to_string();
            connection.0.write_all(format!("{}:{message}", message.len()).as_bytes()).expect("sent to Marionette");
            id
        };
        let answer = self.receive();
        assert_eq!(answer[1], id, "the answer to {command}");
        assert!(answer[2].is_null(), "{command}: {}", answer[2]);
        answer[3].clone()
    }
}

impl Driver for Firefox {
    fn send(&self, command: &str, params: serde_json::Value) -> serde_json::Value {
        self.call(&format!("WebDriver:{command}"), params)["value"].clone()
    }
}

impl Drop for Firefox {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Wait for a download to be complete (Chromium writes `NAME.crdownload` first, Firefox `NAME.part`).
fn downloaded(dir: &Path, name: &str) -> Vec<u8> {
    let started = Instant::now();
    loop {
        let path = dir.join(name);
        let partial = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten().any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.ends_with(".crdownload") || name.ends_with(".part")
                })
            })
            .unwrap_or(true);
        if path.is_file() && !partial {
            return std::fs::read(path).expect("the download reads");
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{name} was not downloaded");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The sample's six forms and a text document of each kind, copied into `inputs` under the names
/// the page shows; their names in the order the page takes them (as ocs walks a folder).
fn sample_inputs(inputs: &Path) -> Vec<String> {
    let mut sources: Vec<PathBuf> =
        std::fs::read_dir(root().join("input")).expect("input/").flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    assert_eq!(sources.len(), 6, "the sample's six input forms");
    sources.push(root().join("tests/fixtures/documents/one-table.odt"));
    sources.push(root().join("tests/fixtures/documents/one-table.docx"));
    let mut names: Vec<String> = Vec::new();
    for source in &sources {
        let name = source.file_name().expect("a name").to_string_lossy().into_owned();
        std::fs::copy(source, inputs.join(&name)).expect("copied");
        names.push(name);
    }
    names.sort();
    names
}

/// `names` (files in `inputs`) converted by `ocs build` into `out` beside `inputs` and by the page:
/// the page's zip holds OUT/'s files byte for byte, with a link for each. OUT/'s files.
fn converts_like_the_command_line(driver: &impl Driver, inputs: &Path, names: &[String], downloads: &Path) -> BTreeMap<String, Vec<u8>> {
    // Named relative to the inputs, as the report names it.
    let mut args = vec!["--lang", "zh-TW", "build", "-o", "../out"];
    let out = inputs.parent().expect("a folder above the inputs").join("out");
    args.extend(names.iter().map(String::as_str));
    let cli_started = Instant::now();
    let cli = ocs_in("zh_TW.UTF-8", &args, inputs);
    let cli_time = cli_started.elapsed();
    assert!(cli.status.code().is_some_and(|c| c <= 1), "ocs build ran: {}", String::from_utf8_lossy(&cli.stderr));
    let expected = files_under(&out);

    driver.upload(&names.iter().map(|n| inputs.join(n)).collect::<Vec<_>>());
    let started = Instant::now();
    driver.click("#ocs-run");
    let state = driver.wait_while(&["idle", "working"], Duration::from_secs(300));
    let page_time = started.elapsed();
    let message = driver.text("#ocs-message");
    assert_eq!(state, "done", "the conversion finished: {message}");
    eprintln!("web: the page converted {} inputs in {page_time:.2?}, ocs build in {cli_time:.2?}", names.len());

    // Everything as one zip, laid out like OUT/, byte for byte the command line's.
    driver.click("#ocs-zip");
    let zipped = downloaded(downloads, "ocs.zip");
    let zip = zip_entries(&zipped);
    // The files compressed already (PDF, workbooks, ODF) are stored; the text files deflated.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zipped)).expect("the zip opens");
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).expect("an entry");
        let name = entry.name().expect("a UTF-8 name").to_string();
        let stored = [".pdf", ".xlsx", ".ods", ".odt"].iter().any(|e| name.ends_with(e));
        let expected = if stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        assert_eq!(entry.compression(), expected, "{name} in the zip");
    }
    assert_eq!(zip.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "the zip holds the files of OUT/");
    for (name, bytes) in &expected {
        assert!(zip[name] == *bytes, "{name} differs from the command line's");
    }
    // Each file can be downloaded on its own too.
    let links = driver.script("return [...document.querySelectorAll('#ocs-outputs a[download]')].map(a => a.textContent)");
    assert_eq!(links.as_array().map(Vec::len), Some(expected.len()), "one link per file");
    expected
}

/// A request from the page to a server listening here is refused by the page's policy and never
/// arrives.
fn no_request_leaves(driver: &impl Driver) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a listener");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("its address").port();
    let tried = driver.send(
        "ExecuteAsyncScript",
        serde_json::json!({"script": format!(
            "const done = arguments[0]; fetch('http://127.0.0.1:{port}/').then(() => done('fetched'), e => done('refused: ' + e));"
        ), "args": []}),
    );
    assert!(tried.as_str().is_some_and(|t| t.starts_with("refused")), "a fetch from the page: {tried}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(listener.accept().is_err(), "the page's request reached the network");
}

#[test]
fn the_page_converts_like_the_command_line_offline() {
    let page = page();
    let work = tempfile::tempdir().expect("a temp dir");
    let inputs = work.path().join("in");
    let (downloads, profile) = (work.path().join("downloads"), work.path().join("profile"));
    for dir in [&inputs, &downloads, &profile] {
        std::fs::create_dir_all(dir).expect("a folder");
    }
    let names = sample_inputs(&inputs);

    let browser = Browser::start(&downloads, &profile);
    browser.open(&page);
    assert_eq!(browser.script("return document.documentElement.lang"), "zh-TW");
    browser.click("#ocs-lang");
    assert_eq!(
        browser.script("return [document.documentElement.lang, document.title]"),
        serde_json::json!(["en", "ocs — occupational competency standards"])
    );
    browser.click("#ocs-lang");
    assert_eq!(browser.script("return document.documentElement.lang"), "zh-TW");

    let expected = converts_like_the_command_line(&browser, &inputs, &names, &downloads);

    // The report shows the defects by rule: the command line's counts.
    let report: serde_json::Value = serde_json::from_slice(&expected["report.json"]).expect("report.json");
    let rules = report["rules"].as_object().expect("rules by rule");
    let shown = browser.text("#ocs-report");
    for (rule, count) in rules {
        let row = shown.lines().find(|l| l.contains(&format!(" {rule}"))).unwrap_or_else(|| panic!("rule {rule} is not in the report"));
        assert!(row.trim_end().ends_with(&count.to_string()), "{rule}: {row}");
    }
    let defects: u64 = rules.values().filter_map(serde_json::Value::as_u64).sum();
    let sample = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"].as_str().is_some_and(|f| f.starts_with("BAS2421-002")) && d["severity"] != "info")
        .count();
    assert_eq!(sample, 23, "the sample's 23 defects, reported on its first input");
    assert_eq!(defects, 23, "the text documents repeat the sample: no defect of their own");
    for defect in report["diagnostics"].as_array().into_iter().flatten().filter(|d| d["severity"] != "info") {
        let cell = defect["cell"].as_str().unwrap_or_default();
        assert!(shown.contains(cell), "the defect at {cell} is in the page's report");
    }

    // No request left the page, and the page may not make one.
    let requests = browser.requests();
    // (Chromium's own chrome:// pages, its start page, are no network request either.)
    assert!(requests.iter().any(|u| u.starts_with("file:")), "the performance log shows the page's own load");
    let network: Vec<&String> = requests
        .iter()
        .filter(|u| ["http:", "https:", "ws:", "wss:", "ftp:"].iter().any(|s| u.to_ascii_lowercase().starts_with(s)))
        .collect();
    assert!(network.is_empty(), "the page requested {network:?}");
    no_request_leaves(&browser);

    if let Some(path) = std::env::var_os("OCS_WEB_SCREENSHOT") {
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot(Path::new(&path));
    }

    // A broken file, a zip bomb, a sheet over the row limit and a damaged xls: each one's error, the command line's, shows in the page, which neither freezes nor runs out
    // of memory on them.
    let xlsx = std::fs::read(root().join("input/BAS2421-002.xlsx")).expect("the sample");
    let bomb_text = format!("<?xml version=\"1.0\"?><sst><si><t>{}</t></si></sst>", "a".repeat(20 << 20));
    let rows: String = (1..=50_001).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>"#)).collect();
    let bad = [
        ("broken.xlsx", xlsx[..xlsx.len() / 3].to_vec()),
        ("bomb.xlsx", common::xlsx(&[("A1", "x")], &[("xl/sharedStrings.xml", bomb_text.into_bytes())])),
        ("many-rows.xlsx", common::xlsx_with_sheet_data(&rows)),
        // A damaged xls found by fuzzing (its allocation table longer than the file).
        ("cfb-slice-index.xls", std::fs::read(root().join("tests/fixtures/fuzz/cfb-slice-index.xls")).expect("the fuzz input")),
    ];
    for (name, bytes) in &bad {
        std::fs::write(inputs.join(name), bytes).expect("written");
    }
    browser.click("#ocs-clear");
    browser.upload(&bad.iter().map(|(name, _)| inputs.join(name)).collect::<Vec<_>>());
    browser.click("#ocs-run");
    assert_eq!(browser.wait_while(&["idle", "working"], Duration::from_secs(120)), "done");
    let shown = browser.text("#ocs-report");
    for (name, _) in &bad {
        let cli = ocs_in("zh_TW.UTF-8", &["--lang", "zh-TW", "check", name], &inputs);
        let said = String::from_utf8_lossy(&cli.stdout).into_owned();
        let error = said
            .lines()
            .find(|l| l.contains(name) && l.contains("[read]"))
            .unwrap_or_else(|| panic!("the command line names {name}: {said}"));
        // `broken.xlsx: 錯誤[read]: 無法讀取的 xlsx 活頁簿（…）；…`: the words after the rule.
        let message = error.split_once("]: ").map_or(error, |(_, m)| m).trim();
        assert!(shown.contains(name), "the page names {name}: {shown}");
        let gist: String = message.chars().take(20).collect();
        assert!(shown.contains(&gist), "the page says what the command line says of {name} ({message}): {shown}");
    }
}

/// The page's 修正對照表 is `ocs diff`'s: two versions of the sample (the later one with a task
/// reworded) give the same files byte for byte, the same 更新說明 and count of changes; two
/// different standards are compared only when asked; a broken version is named with its error;
/// versions given the other way round are said to look swapped. `work` is a fresh folder; the page
/// is open and ready.
fn makes_the_amendment_table_like_ocs_diff(driver: &impl Driver, work: &Path, downloads: &Path) {
    let inputs = work.join("versions");
    std::fs::create_dir_all(&inputs).expect("a folder");
    let sample = std::fs::read_to_string(root().join("input/BAS2421-002.csv")).expect("the sample's CSV");
    let task = "T1.1 調閱公司以往相關活動檔案";
    assert!(sample.contains(task), "the sample has the task reworded below");
    let versions = [
        ("舊版.xlsx", std::fs::read(root().join("input/BAS2421-002.xlsx")).expect("the sample")),
        ("新版.csv", sample.replacen(task, "T1.1 調閱公司以往相關活動與會議檔案", 1).into_bytes()),
        ("其他.csv", sample.replace("BAS2421-002", "BAS9999-001").into_bytes()),
        ("壞掉.xlsx", std::fs::read(root().join("input/BAS2421-002.xlsx")).expect("the sample")[..4000].to_vec()),
        ("第二版.csv", sample.replace("BAS2421-002", "BAS2421-002v2").into_bytes()),
    ];
    for (name, bytes) in &versions {
        std::fs::write(inputs.join(name), bytes).expect("written");
    }
    let cli = ocs_in("zh_TW.UTF-8", &["--lang", "zh-TW", "diff", "--fix", "舊版.xlsx", "新版.csv", "-o", "../diff-out"], &inputs);
    assert_eq!(cli.status.code(), Some(1), "ocs diff found changes: {}", String::from_utf8_lossy(&cli.stderr));
    let expected = files_under(&work.join("diff-out"));
    assert!(expected.keys().any(|name| name.ends_with(".pdf")), "ocs diff made a PDF: {:?}", expected.keys());

    let compare = |old: &str, new: &str| {
        driver.upload_to("#ocs-old", &[inputs.join(old)]);
        driver.upload_to("#ocs-new", &[inputs.join(new)]);
        driver.click("#ocs-compare");
        driver.wait_while_in("#ocs-amend", &["idle", "working"], Duration::from_secs(120))
    };

    driver.click("#ocs-amend-fix");
    assert_eq!(compare("舊版.xlsx", "新版.csv"), "done", "compared: {}", driver.text("#ocs-amend-message"));
    let zip = zip_entries(&downloaded_after(driver, "#ocs-amend-zip", downloads, ".zip"));
    assert_eq!(zip.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "the zip holds ocs diff's files");
    for (name, bytes) in &expected {
        assert!(zip[name] == *bytes, "{name} differs from ocs diff's");
    }
    let links = driver.script("return [...document.querySelectorAll('#ocs-amend-outputs a[download]')].map(a => a.download)");
    assert_eq!(links.as_array().map(Vec::len), Some(expected.len()), "one link per file");
    let summary =
        expected.iter().find(|(name, _)| name.ends_with("更新說明.txt")).map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned());
    let summary = summary.expect("an 更新說明");
    assert_eq!(driver.text("#ocs-amend-summary").trim(), summary.trim(), "the page shows the 更新說明");
    assert!(String::from_utf8_lossy(&cli.stdout).trim() == summary.trim(), "ocs diff printed the same 更新說明");
    let headline = driver.text("#ocs-amend-headline");
    let changes: serde_json::Value =
        serde_json::from_slice(expected.iter().find(|(name, _)| name.ends_with("-diff.json")).expect("the changes as JSON").1)
            .expect("JSON");
    let count = changes["changes"].as_array().map(Vec::len).expect("a list of changes");
    assert!(count >= 1 && headline.contains(&format!("{count} 項修正")), "{headline} ({count} changes)");

    if let Some(path) = std::env::var_os("OCS_WEB_AMEND_SCREENSHOT") {
        driver.script("document.getElementById('ocs-amend').scrollIntoView()");
        driver.screenshot(Path::new(&path));
    }

    // Two different standards: refused until asked, then compared.
    assert_eq!(compare("舊版.xlsx", "其他.csv"), "refused");
    let said = driver.text("#ocs-amend-messages");
    assert!(said.contains("BAS2421-002") && said.contains("BAS9999-001"), "the page names both codes: {said}");
    let hint = driver.text("#ocs-amend-message");
    let label = driver.text("label:has(#ocs-amend-force)");
    assert!(hint.starts_with("未比較") && hint.contains(&format!("「{}」", label.trim())), "the page says how to compare anyway: {hint}");
    assert_eq!(driver.script("return document.getElementById('ocs-amended').hidden"), true, "no file offered");
    driver.click("#ocs-amend-force");
    assert_eq!(compare("舊版.xlsx", "其他.csv"), "done", "forced: {}", driver.text("#ocs-amend-message"));
    assert!(driver.text("#ocs-amend-outputs").contains("BAS9999-001-"), "named after the later version's code");

    // A broken version: its error, the command line's, and nothing compared.
    assert_eq!(compare("壞掉.xlsx", "新版.csv"), "refused");
    let said = driver.text("#ocs-amend-messages");
    assert!(driver.text("#ocs-amend-message").starts_with("未比較"), "nothing compared");
    let cli = ocs_in("zh_TW.UTF-8", &["--lang", "zh-TW", "diff", "壞掉.xlsx", "新版.csv", "-o", "../broken"], &inputs);
    assert_eq!(cli.status.code(), Some(2), "ocs diff refuses a broken version");
    let stderr = String::from_utf8_lossy(&cli.stderr).into_owned();
    let error = stderr.lines().find(|l| l.contains("壞掉.xlsx") && l.contains("[read]")).unwrap_or_else(|| panic!("{stderr}"));
    let gist: String = error.split_once("]: ").map_or(error, |(_, m)| m).chars().take(20).collect();
    assert!(said.contains("壞掉.xlsx") && said.contains(&gist), "the page says what ocs diff says ({error}): {said}");

    // The second edition given as the earlier version: compared as given, with the warning.
    assert_eq!(compare("第二版.csv", "舊版.xlsx"), "done", "{}", driver.text("#ocs-amend-message"));
    let said = driver.text("#ocs-amend-messages");
    assert!(said.contains("放反") && said.contains("BAS2421-002v2"), "the page says the versions look swapped: {said}");
}

#[test]
fn the_page_makes_the_amendment_table_like_ocs_diff() {
    let work = tempfile::tempdir().expect("a temp dir");
    let (downloads, profile) = (work.path().join("downloads"), work.path().join("profile"));
    for dir in [&downloads, &profile] {
        std::fs::create_dir_all(dir).expect("a folder");
    }
    let browser = Browser::start(&downloads, &profile);
    browser.open(&page());
    makes_the_amendment_table_like_ocs_diff(&browser, work.path(), &downloads);
}

/// The page in Firefox (Gecko, the other engine than Chromium's Blink that Edge and Chrome share):
/// it loads offline, converts the sample's forms and text documents into the command line's bytes,
/// makes the 修正對照表 as `ocs diff` does, and may not reach the network.
#[test]
fn the_page_works_in_firefox() {
    let page = page();
    let work = tempfile::tempdir().expect("a temp dir");
    let (inputs, downloads) = (work.path().join("in"), work.path().join("downloads"));
    for dir in [&inputs, &downloads] {
        std::fs::create_dir_all(dir).expect("a folder");
    }
    let names = sample_inputs(&inputs);
    let firefox = Firefox::start(&downloads);
    firefox.open(&page);
    assert_eq!(firefox.script("return document.documentElement.lang"), "zh-TW", "Chinese for a Chinese-speaking Firefox");
    converts_like_the_command_line(&firefox, &inputs, &names, &downloads);
    makes_the_amendment_table_like_ocs_diff(&firefox, work.path(), &downloads);
    no_request_leaves(&firefox);
}

/// Click a download link and wait for the file it names (its `download` attribute) to arrive.
fn downloaded_after(driver: &impl Driver, css: &str, dir: &Path, extension: &str) -> Vec<u8> {
    let name = driver.script(&format!("return document.querySelector('{css}').download"));
    let name = name.as_str().expect("a download name").to_string();
    assert!(name.ends_with(extension), "{name}");
    driver.click(css);
    downloaded(dir, &name)
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(chunk.len().saturating_sub(1))
        })
        .collect()
}
