# ocs 的正體中文（臺灣）訊息。每個 id 都必須也在 en/ocs.ftl 裡（有測試檢查）。
# 規則代號（prefix-mismatch 等）不翻譯，說明文字才翻譯。
# 用語：檔案、資料夾、儲存格、工作表；列 = 橫列（row），欄 = 直欄（column）。

## 等級

severity-info = 附註
severity-warning = 警告
severity-error = 錯誤

## 結構檢查（check.rs）

empty-table = 表格沒有任何主要職責或工作任務的列；請在表頭下方填入表格內容
no-indicators = 表格完全沒有行為指標；每個工作任務至少要有一項
missing-standard-code = 工作表、工作表名稱與檔名都沒有職能基準代碼；請在「職能基準代碼」旁填入代碼（例如 BAS2421-002）
unsafe-code = 職能基準代碼「{ $code }」不能當作資料夾名稱：{ $problem }；請改成 AAA9999-999 的格式
name-empty = 代碼是空的
name-too-long = 代碼超過 64 個字元
name-error-value = 這是試算表的錯誤值，不是代碼
name-character = 含有不能用在檔名中的字元 { $code }
name-dot = 開頭或結尾是句點或空格
name-reserved = { $device } 是 Windows 保留的裝置名稱
code-pattern = 職能基準代碼「{ $code }」不符合 AAA9999-999（第二版起加 v2、v3）的格式；請核對 iCAP 核發的代碼
code-category = 職能基準代碼「{ $code }」開頭是 { $category }，但職類別代碼填的是 { $stated }；請更正其中一個
code-occupation = 職能基準代碼「{ $code }」中的職業別是 { $occupation }，但職業別代碼填的是 { $stated }；請更正其中一個
duplicate-code = { $code } 在 { $task } 的{ $kind }中出現 { $count } 次；請讓每一項各有自己的編號（--fix 會依序重新編號）
duplicate-competency = { $code } 在同一個{ $kind }儲存格中列了 { $count } 次；請刪除重複的項目（--fix 會代為刪除）
missing-indicators = { $task } 沒有行為指標；請在 { $cell } 至少填入一項（代碼與內容，如 P1.1.1 …）
level-range = { $task } 的職能級別 { $level } 不在 1–6 之間；請在 { $cell } 填入 1–6 的職能級別
prefix-mismatch = { $code } 位於 { $under } 之下，但代碼開頭是 { $parent }；請改成 { $under } 的編號，或把它移到 { $parent } 之下（--fix 會重新編號）
duplicate-attitude = { $code } { $name } 列了兩次；請刪除第二個
missing-in-task = { $task } 沒有{ $what }；{ $fix }
missing-in-duty = { $duty } 的工作任務都沒有{ $what }；{ $fix }
field-level = 職能級別
field-knowledge = 知識（K）
field-skills = 技能（S）
fix-fill-level = 請在 { $cell } 填入 1–6 的職能級別
fix-fill-knowledge = 請在 { $cell } 填入知識的代碼與名稱（每行一項：代碼、空格、名稱）
fix-fill-skills = 請在 { $cell } 填入技能的代碼與名稱（每行一項：代碼、空格、名稱）
fix-add-column = 請在表格中加上「{ $what }」欄
fix-dropped-competency = 已從{ $kind }儲存格刪除重複的 { $code }
fix-dropped-attitude = 已刪除重複的態度 { $code } { $name }
fix-renumbered = { $code } 已重新編號為 { $new }（{ $task }）

## 讀取表格（layout）

html-markup = 網頁表單的標記（<p>、<br>）已當作換行讀取
code-rewrite = 「{ $original }」讀作「{ $code }」（{ $what }）
rewrite-full-width = 全形字元改為半形
rewrite-spaces = 刪除空白
rewrite-lower-case = 英文字母改為大寫
rewrite-separator = 分隔符號改為「.」
rewrite-trailing-punctuation = 刪除結尾的標點
rewrite-padded = 數字補成兩位數
rewrite-leading-zeros = 刪除開頭的 0
rewrite-zero-for-o = 數字 0 視為英文字母 O
rewrite-version-case = 版本字尾改為小寫
rewrite-dash = 連字號改為「-」
two-standards = 此工作表第 { $row } 列開始了第二份職能基準（{ $code }）：一個工作表只放一份職能基準，因此第二份完全不轉換；請把每份職能基準放在各自的檔案或工作表
rule-two-standards = 一個工作表有兩份職能基準
missing-task = 這一列上方沒有工作任務，暫時放在一個沒有代碼的任務下；請填寫這一列的「工作任務」儲存格
missing-code = { $kind }「{ $text }」沒有代碼；請在文字前加上代碼（如 T1.1、P1.1.1）
wrong-code-kind = { $kind }「{ $code }」是{ $other }的代碼；請確認它所在的欄
missing-duty = 工作任務「{ $task }」上方沒有主要職責；請在它前一欄填入主要職責（T1 等）
not-a-level = 職能級別「{ $text }」不是 1–6 的級別，已留白；請在 { $cell } 填入 1–6 的數字
not-a-standard-level = 基準級別「{ $text }」不是 1–6 的級別，已留白；請在 { $cell } 填入 1–6 的數字
competency-column = { $code } 填在{ $own }欄，已列入{ $other }
two-names = { $code } 有兩個名稱：「{ $first }」與「{ $second }」；請統一使用一個名稱
classification-code = 名稱中的代碼是「{ $paren }」，但代碼儲存格填的是「{ $code }」；已採用代碼儲存格，請更正錯誤的那一個
code-from-sheet-name = 工作表中沒有職能基準代碼；已採用工作表名稱中的「{ $code }」
code-from-file-name = 工作表中沒有職能基準代碼；已採用檔名中的「{ $code }」
joined-indicator = 行為指標 { $code } 寫成兩行，第二行「{ $line }」沒有自己的代碼，因此併入 { $code }（檢核表只會給兩者一個勾選框）；若它是另一項行為指標，請在 { $cell } 為它加上自己的代碼，否則請把兩行合併
example-header = 表頭仍是 `ocs init` 範本的範例（{ $code }、（範例））；請填入此職能基準自己的代碼、名稱與所屬類別
example-row = { $task } 是 `ocs init` 留下的範例列（標有（範例））；請刪除該列，或換成實際內容

## 讀取檔案

encoding = 以 { $encoding } 讀取
encoding-utf8-bom = UTF-8（含 BOM）
encoding-utf8 = UTF-8
encoding-utf16le = UTF-16LE（含 BOM）
encoding-utf16be = UTF-16BE（含 BOM）
encoding-big5 = Big5（CP950）
container = 檔名是 .{ $ext }，內容卻是{ $holds }；已當作 { $format } 讀取
format-xlsx = Excel 活頁簿（xlsx）
format-xls = Excel 97–2003 活頁簿（xls）
format-ods = OpenDocument 試算表（ods）
format-csv = 純文字（CSV）
read-io = 無法讀取檔案：{ $error }
read-empty = 檔案是空的
read-file-too-large = 檔案大小 { $size }，超過上限 { $limit }（可用 --max-file-size 提高）
read-unzipped-too-large = 壓縮內容解開後有 { $size }，超過上限 { $limit }（可用 --max-unzipped 提高）
read-zip-bomb = 壓縮項目「{ $entry }」膨脹 { $ratio }:1，超過上限 { $limit }:1，可能是壓縮炸彈（可用 --max-ratio 提高）
read-cell-out-of-range = 儲存格超出 { $rows } 列 × { $cols } 欄的上限（可用 --max-rows／--max-cols 提高）
read-too-many-cells = 檔案中非空白的儲存格超過 { $limit } 個（可用 --max-cells 提高）
read-cell-too-long = 儲存格的文字有 { $len }，超過上限 { $limit }（可用 --max-cell-len 提高）
read-unknown-encoding = CSV 文字既非 UTF-8、含 BOM 的 UTF-16，也非 Big5／CP950（第一個無法解碼的位元組在第 { $offset } 個位元組）；請另存為 UTF-8
read-nul = CSV 文字第 { $line } 行有 NUL 字元：可能是二進位檔案，或不含 BOM 的 UTF-16
read-csv = CSV 格式有誤（{ $detail }）
read-workbook = 無法讀取的 { $format } 活頁簿（{ $detail }）；請用 Excel 或 LibreOffice 開啟後重新儲存
read-not-a-workbook = 不是 { $format } 活頁簿：檔案開頭不像此格式；是否為改了副檔名的其他檔案？
read-broken = 無法讀取的 { $format } 活頁簿：檔案結構損壞（{ $detail }）；請用 Excel 或 LibreOffice 開啟後重新儲存
read-document = 無法讀取的 { $format } 文件（{ $detail }）；請用 LibreOffice Writer 或 Word 開啟後重新儲存
read-nesting = 儲存格內的表格巢狀超過 { $limit } 層；請把內層表格移出儲存格
format-odt = OpenDocument 文字文件（odt）
format-docx = Word 文件（docx）
drawing-text = 文字方塊或繪圖中的文字不會讀取；請把它打進表格或段落
nested-table = 此儲存格內的表格已當作儲存格中的各行讀取
embedded-content = 由其他檔案內嵌的內容（altChunk）無法讀取；請以文字貼上
rule-drawing-text = 繪圖或文字方塊中的文字
rule-embedded-content = 由其他檔案內嵌的內容
read-not-a-file = 不是一般檔案（是裝置、管道或通訊端）
read-used-range = 各工作表的使用範圍共 { $area } 個儲存格，xls 解析器會逐一配置，超過上限 { $limit }（可用 --max-cells 提高）
read-malformed-merge = 合併範圍 { $reference } 有誤：最後一格在第一格之前；請開啟檔案重新合併這些儲存格
read-too-many-merges = 工作表有 { $merges } 個合併範圍，涵蓋超過 { $limit } 個儲存格（可用 --max-cells 提高）
read-unsupported = 不支援的檔案類型「.{ $ext }」（ocs 可讀取 .xlsx、.xlsm、.xls、.ods、.csv、.odt 與 .docx）
no-table-sheet = 此工作表沒有職能基準表格，略過
no-table-file = 沒有任何工作表含有職能基準表格（含「工作任務」與「行為指標」的表頭列）；請確認這是職能基準檔案
same-standard = { $code } 已從此檔案的工作表 { $first } 讀取；此工作表視為同一份資料的另一種呈現，略過
standard-repeated = { $code } 與從 { $first } 讀取的內容完全相同；只輸出一次，缺失列在該處
standard-conflict = { $code } 已從 { $first } 讀取，但內容不同；這一份不輸出：請給其中一份自己的代碼，或移除較舊的檔案（若是同一職能基準的兩個版本，可用 ocs diff 舊版 新版 或 ocs.html 的「修正對照表」查看修正之處）
input-missing = { $path }：沒有這個檔案或資料夾
input-missing-hint = 請指定存在的檔案或資料夾（見 `ocs build --help`）
input-skipped = { $why }；略過
input-symlink-loop = 符號連結繞回上層資料夾；不跟隨
input-unreadable = 無法讀取：{ $error }
input-derived = 這是 ocs 產生的檢核表或職能矩陣，不是職能基準
input-unlistable = 無法列出資料夾內容：{ $error }
no-input-folder = { $here } 中沒有 input 資料夾。請把職能基準檔案（.xlsx、.xls、.ods、.csv、.odt、.docx）放進名為 input 的資料夾，或直接指定檔案：`ocs build 檔案.xlsx`。`ocs init` 可產生一份空白範本供填寫。
no-input-files = { $paths } 中沒有可讀取的檔案（.xlsx、.xlsm、.xls、.ods、.csv、.odt、.docx）

## 輸出

write-failed = 無法寫入 { $path }：{ $error }
output-in-use = { $file } 正在被其他程式（例如 Excel）使用中或唯讀；請關閉後再執行一次。先前的資料夾保留不變
press-any-key = 按任意鍵關閉視窗…
render-failed = 無法產生文件：{ $error }
missing-glyph = 本機沒有任何字型有「{ $char }」（{ $code }）這個字，{ $font } 和系統字型都沒有，印出來會是空框（請安裝有這個字的字型，或用 --font 指定）
role-no-task = 角色 { $role }：{ $code } 沒有它的任何一個工作任務（{ $missing }），因此不產生此角色的檢核表；{ $code } 的工作任務有 { $tasks }
role-missing-tasks = 角色 { $role }：{ $code } 沒有工作任務 { $missing }；檢核表只列其餘任務（{ $code } 的工作任務有 { $tasks }）
roles-none-fit = --roles 檔案中沒有任何角色對應到 { $code } 的工作任務，因此無法產生角色檢核表；請更正角色檔案中的工作任務代碼
roles-toml = 不是正確的 TOML（{ $detail }）
roles-not-a-list = 角色「{ $role }」：應為工作任務代碼的清單，例如 ["T2.1", "T3.1"]
roles-not-strings = 角色「{ $role }」：工作任務代碼須加上引號
roles-empty = 角色「{ $role }」沒有任何工作任務
roles-unreadable = 無法讀取：{ $error }
roles-unusable = { $path }：無法使用的角色檔案：{ $problem }
template-io = { $file }：無法讀取範本：{ $error }
template-invalid = { $file }：不是有效的範本：{ $detail }
font-io = { $file }：無法讀取字型：{ $error }
font-parse = { $file }：不是可用的 TrueType／OpenType 字型（第 { $face } 個字面）：{ $detail }
plain = { $text }

## 輸出資料夾與中斷

interrupted = 已中斷：已寫出 { $written } 份職能基準，其餘輸入尚未轉換；再執行一次同樣的命令即可轉換
epoch-range = SOURCE_DATE_EPOCH={ $value } 不在 0..={ $last } 之間（1970 年至 9999 年底）
epoch-not-a-number = SOURCE_DATE_EPOCH={ $value } 不是自 1970 年起的整數秒數
output-is-file = 輸出資料夾 { $path } 是檔案，不是資料夾；請用 -o 指定其他資料夾
output-uncreatable = 無法建立輸出資料夾 { $path }：{ $error }
output-unwritable = 無法在輸出資料夾 { $path } 中寫入：{ $error }；請用 -o 指定其他資料夾
output-uncleanable = 無法清除先前執行留在 { $path } 的檔案：{ $error }
output-cleaned = 已清除中斷的執行留在 { $path } 的檔案：{ $names }

## 命令列

init-exists = { $path } 已經存在；若要取代請加上 --force
init-failed = 無法產生活頁簿：{ $error }
init-wrote = 已寫入 { $path }：請填寫「職能基準」工作表（說明見「填寫說明」工作表），再執行 `ocs build { $path }`
size-not-a-size = 「{ $text }」不是大小，應寫成如 64M
size-unit = 「{ $text }」：單位須為 K、M 或 G
size-too-large = 「{ $text }」太大
usage-error = { $problem }{ $suggestion }（用法見 `ocs --help`）
usage-suggest = ；是不是要用「{ $suggestion }」？
usage-unknown-argument = 沒有「{ $arg }」這個選項
usage-unknown-command = 沒有「{ $arg }」這個命令；命令有 build、check 與 init
usage-invalid-value = 「{ $value }」不是 { $arg } 可用的值；可用的值為 { $valid }
usage-bad-value = 「{ $value }」不是 { $arg } 可用的值：{ $reason }
usage-missing-value = { $arg } 需要一個值
usage-no-command = 請指定命令：build、check 或 init
usage-conflict = { $arg } 不能與同時指定的選項一起使用
usage-too-many = { $arg } 指定了不只一次，或值太多
usage-other = 命令列在「{ $arg }」附近無法解讀
progress-files = 個檔案
progress-remaining = 尚需
summary-standards = 已轉換 { $good } 份職能基準{ $repeats ->
    [0] {""}
   *[other] （另有 { $repeats } 個輸入是同一份職能基準，只輸出一次）
}，{ $failed } 份失敗
summary-standards-read = 已讀取 { $good } 份職能基準，{ $failed } 份失敗
summary-counts = ；錯誤 { $errors } 項、警告 { $warnings } 項、附註 { $notes } 項
summary-out = { " " }→ { $out }
summary-time = ，費時 { $seconds } 秒
summary-by-rule = { "     " }各規則的警告與錯誤：
summary-more-rules = …另有 { $rules } 種規則（見 report.html）
summary-report = { "     " }報告：{ $path }

cell-too-long = { $sheet }!{ $cell }：文字超過 { $limit } 個字元，是活頁簿儲存格的上限；活頁簿只顯示開頭，PDF、ODT、JSON 與 CSV 有全文
rule-cell-too-long = 文字超過活頁簿儲存格上限

## 說明文字

help-usage = 用法：
help-commands = 命令
help-options = 選項
help-arguments = 引數
help-help = 顯示說明
help-version = 顯示版本
help-lang = 訊息與說明的語言：zh-TW 或 en（預設依 LC_ALL、LC_MESSAGES 或 LANG）
help-ocs = 職能基準（iCAP）由 Excel、ODF 或 CSV 轉成官方表格、職能矩陣與檢核表
help-build = 把輸入的每份職能基準轉換到 OUT/CODE/（官方表格的 PDF、ODT、ODS、XLSX，職能矩陣、檢核表、JSON、CSV），並寫出 OUT/report.html
help-check = 只讀取並檢查，列出所有診斷訊息
help-init = 產生一份官方格式的空白輸入活頁簿，供承辦人填寫
help-build-inputs = 輸入的檔案或資料夾（.xlsx、.xlsm、.xls、.ods、.csv、.odt、.docx）［預設：input］
help-check-inputs = { help-build-inputs }
help-build-out = 輸出資料夾［預設：out］
help-build-only = 只輸出這些項目，以逗號分隔：json、csv、xlsx、ods、pdf、odt、matrix、checklist［預設：全部］
help-build-template = 取代官方範本的範本檔（標籤、字級、紙張；見 templates/official.toml）
help-build-font = PDF 改用的字型檔，取代內嵌的 Noto Sans TC（路徑 或 路徑:字面編號）
help-build-roles = 角色檢核表的角色定義（TOML：角色名稱 = ["T2.1", "T3.1"]），取代由任務名稱自動找出的角色
help-build-fix = 做細心的編輯會做的修正（O／P 在任務內依序重新編號、刪除重複的 K／S 與態度），並逐項列出
help-check-fix = { help-build-fix }
help-build-strict = 有警告即視為失敗
help-check-strict = { help-build-strict }
help-build-verbose = 也列出附註（代碼改寫、編碼）
help-check-verbose = { help-build-verbose }
help-build-jobs = 同時轉換的執行緒數［預設：每個核心一個］
help-check-jobs = { help-build-jobs }
help-build-max-file-size = 輸入檔案的大小上限（可用 K、M、G）［預設：{ $file-size }］
help-check-max-file-size = { help-build-max-file-size }
help-build-max-unzipped = xlsx／ods 解壓縮後的總大小上限［預設：{ $unzipped }］
help-check-max-unzipped = { help-build-max-unzipped }
help-build-max-ratio = 單一大型壓縮項目的膨脹倍數上限［預設：{ $ratio }］
help-check-max-ratio = { help-build-max-ratio }
help-build-max-rows = 一個工作表的列數上限［預設：{ $rows }］
help-check-max-rows = { help-build-max-rows }
help-build-max-cols = 一個工作表的欄數上限［預設：{ $cols }］
help-check-max-cols = { help-build-max-cols }
help-build-max-cells = 一個檔案中非空白儲存格的上限［預設：{ $cells }］
help-check-max-cells = { help-build-max-cells }
help-build-max-cell-len = 一個儲存格的文字長度上限［預設：{ $cell-len }］
help-check-max-cell-len = { help-build-max-cell-len }
help-check-format = 診斷訊息的格式：text 或 json（json 不因語言而不同）［預設：text］
help-init-path = 寫到哪裡［預設：職能基準範本.xlsx］
help-init-force = 檔案已存在時取代它
help-init-template = 取代官方範本的範本檔

## report.html

html-title = ocs 轉換報告
html-counts = 錯誤 { $errors } 項、警告 { $warnings } 項、附註 { $notes } 項
html-rule = 規則
html-count = 件數
html-standards = 職能基準（{ $count } 份）
html-status-converted = 已轉換
html-status-failed = 失敗
html-sources = { $count ->
    [one] 讀取自：
   *[other] 讀取自 { $count } 個內容相同的輸入：
}
html-outputs = 輸出檔案：
html-no-defects = 沒有缺失。
html-defects = 待修正的缺失 { $count } 項，依規則分組：
html-notes = 附註（{ $count } 項）：代碼改寫、編碼等，不需處理
html-other = 輸入檔案與其他訊息
html-document = 文件
html-file-form = 官方表格
html-file-matrix = 職能矩陣
html-file-checklist = 訓練檢核表
html-file-role = 角色檢核表：{ $role }
html-file-data = 資料
html-level = 等級
html-file = 檔案
html-sheet = 工作表
html-cell = 儲存格
html-message = 說明與修正方式

## 規則名稱（report.html）

rule-prefix-mismatch = 代碼開頭與所屬上層不符
rule-duplicate-code = 同一任務中 O／P 代碼重複
rule-duplicate-competency = 同一儲存格中 K／S 重複
rule-duplicate-attitude = 態度重複
rule-missing-level = 缺職能級別
rule-missing-knowledge = 缺知識（K）
rule-missing-skills = 缺技能（S）
rule-missing-indicators = 缺行為指標
rule-level-range = 職能級別不在 1–6
rule-level = 不是級別
rule-code-pattern = 職能基準代碼格式
rule-code-classification = 職能基準代碼與所屬類別不一致
rule-missing-code = 缺代碼
rule-unsafe-code = 職能基準代碼不能當檔名
rule-empty-table = 空白表格
rule-no-indicators = 完全沒有行為指標
rule-missing-task = 列上方沒有工作任務
rule-missing-duty = 工作任務上方沒有主要職責
rule-duty-code = 主要職責欄中是任務代碼
rule-task-code = 工作任務欄中是職責代碼
rule-zero-for-o = 把英文字母 O 打成數字 0
rule-two-names = 同一代碼有兩個名稱
rule-classification-code = 類別代碼不一致
rule-joined-indicator = 兩項行為指標被讀成一項
rule-example-left = 仍留有 ocs init 的範例
rule-container = 檔案內容與副檔名不符
rule-read = 無法讀取檔案
rule-no-table = 沒有職能基準表格
rule-duplicate-standard = 同一代碼讀到兩次
rule-write = 無法寫入
rule-render = 無法產生文件
rule-role-task = 角色指定了不存在的任務
rule-role-empty = 角色沒有任務
rule-missing-glyph = 所有字型都缺字
rule-input = 找不到輸入

# ocs diff
help-diff = 比較一份職能基準的兩個版本（任何輸入格式）：寫出 OUT/CODE-修正對照表（PDF、ODT、XLSX、ODS）、OUT/CODE-diff.json 與 OUT/CODE-更新說明.txt，並印出更新說明；結束碼 0 相同、1 有差異、2 有問題
help-diff-old = 修正前的版本
help-diff-new = 修正後的版本
help-diff-out = { help-build-out }
help-diff-force = 兩個檔案的職能基準代碼不同時仍然比較
help-diff-fix = 比較前對兩個版本套用 build --fix 的修正
help-diff-verbose = { help-build-verbose }
help-diff-template = { help-build-template }
help-diff-max-file-size = { help-build-max-file-size }
help-diff-max-unzipped = { help-build-max-unzipped }
help-diff-max-ratio = { help-build-max-ratio }
help-diff-max-rows = { help-build-max-rows }
help-diff-max-cols = { help-build-max-cols }
help-diff-max-cells = { help-build-max-cells }
help-diff-max-cell-len = { help-build-max-cell-len }
diff-first-standard = 此檔案含有多份職能基準；比較的是 { $code }，不是 { $others }
diff-unreadable = 未比較：有一個版本讀不出職能基準（見上方訊息）
diff-different-standards = 兩個檔案是不同的職能基準：{ $old } 與 { $new }
diff-reversed = 修正前的版本（{ $old }）看來比修正後的版本（{ $new }）新：兩個檔案是否放反了？仍依所給的順序比較
diff-force-hint = 未比較；若仍要比較請加上 --force
diff-bad-code = 代碼 { $code } 無法作為輸出檔名：{ $problem }
diff-same = { $old } 與 { $new } 內容相同，無修正；已將 { $files } 寫入 { $out }
diff-changes = { $old } → { $new }：{ $changes } 項修正；已將 { $files } 寫入 { $out }
rule-diff-first-standard = 比較的檔案含有多份職能基準
