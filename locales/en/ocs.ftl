# ocs messages in English. Every id here is also in zh-TW/ocs.ftl (a test checks).
# Rule ids (prefix-mismatch, …) are not translated; the sentences are.

## Levels

severity-info = info
severity-warning = warning
severity-error = error

## Structural checks (check.rs)

empty-table = the table has no 主要職責 or 工作任務 rows; fill in the table under its header row
no-indicators = the table has no 行為指標 at all; every task needs at least one
missing-standard-code = no 職能基準代碼 in the sheet, the sheet name or the file name; enter it next to the label 職能基準代碼 (for example BAS2421-002)
unsafe-code = the 職能基準代碼 `{ $code }` cannot be used as a folder name: { $problem }; correct it to the form AAA9999-999
name-empty = it is empty
name-too-long = it is over 64 characters long
name-error-value = it is a spreadsheet error value, not a code
name-character = it holds the character { $code }, not allowed in a file name
name-dot = it starts or ends with a dot or a space
name-reserved = { $device } is a device name reserved by Windows
code-pattern = the 職能基準代碼 `{ $code }` does not match the pattern AAA9999-999 (v2, v3 …); check the code iCAP assigned
code-category = the 職能基準代碼 `{ $code }` starts with { $category } but the 職類別代碼 is { $stated }; correct one of them
code-occupation = the 職能基準代碼 `{ $code }` has { $occupation } but the 職業別代碼 is { $stated }; correct one of them
duplicate-code = { $code } appears { $count } times among the { $kind } of { $task }; give each its own number (--fix renumbers them in order)
duplicate-competency = { $code } is listed { $count } times in the { $kind } cell; delete the repeats (--fix does)
missing-indicators = { $task } has no 行為指標; enter at least one (such as P1.1.1 and its text) in { $cell }
level-range = 職能級別 { $level } of { $task } is outside 1–6; enter a level from 1 to 6 in { $cell }
prefix-mismatch = { $code } is under { $under } but its prefix says { $parent }; renumber it under { $under } or move it to { $parent } (--fix renumbers)
duplicate-attitude = { $code } { $name } is listed twice; delete the second one
missing-in-task = { $task } has no { $what }; { $fix }
missing-in-duty = no task of { $duty } has { $what }; { $fix }
field-level = 職能級別
field-knowledge = 知識 (K)
field-skills = 技能 (S)
fix-fill-level = enter a level from 1 to 6 in { $cell }
fix-fill-knowledge = enter its K codes and names in { $cell }, one per line: code, space, name
fix-fill-skills = enter its S codes and names in { $cell }, one per line: code, space, name
fix-add-column = add a { $what } column to the table
fix-dropped-competency = dropped the repeated { $code } from the { $kind } cell
fix-dropped-attitude = dropped the repeated attitude { $code } { $name }
fix-renumbered = { $code } renumbered { $new } ({ $task })

## Reading the table (layout)

html-markup = web-form markup (<p>, <br>) read as line breaks
code-rewrite = `{ $original }` read as `{ $code }` ({ $what })
rewrite-full-width = full-width characters made half-width
rewrite-spaces = spaces removed
rewrite-lower-case = letters upper-cased
rewrite-separator = separator made `.`
rewrite-trailing-punctuation = trailing punctuation dropped
rewrite-padded = number padded to two digits
rewrite-leading-zeros = leading zeros removed
rewrite-zero-for-o = digit 0 read as the letter O
rewrite-version-case = version suffix lower-cased
rewrite-dash = dash made `-`
two-standards = a second standard ({ $code }) starts on row { $row } of this sheet: one sheet holds one standard, so nothing of it is converted; put each standard in its own file or sheet
rule-two-standards = Two standards on one sheet
missing-task = a table row has no 工作任務 above it; it is kept under a task without a code: fill in the 工作任務 cell of this row
missing-code = the { $kind } `{ $text }` has no code; write its code before the text (such as T1.1 or P1.1.1)
wrong-code-kind = the { $kind } `{ $code }` has a { $other } code; check the column it is in
missing-duty = the 工作任務 `{ $task }` has no 主要職責 above it; add the 主要職責 (T1 …) in the column before it
not-a-level = 職能級別 `{ $text }` is not a level 1–6 and is left empty; enter a number from 1 to 6 in { $cell }
not-a-standard-level = 基準級別 `{ $text }` is not a level 1–6 and is left empty; enter a number from 1 to 6 in { $cell }
competency-column = { $code } is in the { $own } column; it is listed with the { $other }
two-names = { $code } is named both `{ $first }` and `{ $second }`; use one name everywhere
classification-code = the name gives code `{ $paren }` but the code cell says `{ $code }`; the code cell is used: correct the one that is wrong
code-from-sheet-name = no 職能基準代碼 in the sheet; `{ $code }` taken from the sheet name
code-from-file-name = no 職能基準代碼 in the sheet; `{ $code }` taken from the file name
joined-indicator = the 行為指標 { $code } runs over two lines, and the line “{ $line }” has no code of its own, so it is read as part of { $code } (the checklist gives both one box); if it is another 行為指標, give it its own code in { $cell }, or join the lines
example-header = the header still holds the example of `ocs init` ({ $code }, （範例）); enter the standard's own code, name and classification
example-row = { $task } is an example row left from `ocs init` (marked （範例）); delete the row or replace it with real content

## Reading files

encoding = read as { $encoding }
encoding-utf8-bom = UTF-8 with BOM
encoding-utf8 = UTF-8
encoding-utf16le = UTF-16LE with BOM
encoding-utf16be = UTF-16BE with BOM
encoding-big5 = Big5 (CP950)
container = the file is named .{ $ext } but holds { $holds }; read as { $format }
format-xlsx = an Excel workbook (xlsx)
format-xls = an Excel 97–2003 workbook (xls)
format-ods = an OpenDocument spreadsheet (ods)
format-csv = text (CSV)
read-io = cannot read the file: { $error }
read-empty = the file is empty
read-file-too-large = the file is { $size }, over the limit of { $limit } (raise it with --max-file-size)
read-unzipped-too-large = its zip entries decompress to { $size }, over the limit of { $limit } (raise it with --max-unzipped)
read-zip-bomb = zip entry `{ $entry }` expands { $ratio }:1, over the limit of { $limit }:1; a zip bomb? (raise it with --max-ratio)
read-cell-out-of-range = the cell is beyond the limit of { $rows } rows × { $cols } columns (raise it with --max-rows / --max-cols)
read-too-many-cells = the file has over { $limit } non-empty cells (raise it with --max-cells)
read-cell-too-long = the cell holds { $len } of text, over the limit of { $limit } (raise it with --max-cell-len)
read-unknown-encoding = the CSV text is neither UTF-8, UTF-16 with BOM nor Big5/CP950 (first undecodable byte at offset { $offset }); save it again as UTF-8
read-nul = the CSV text has a NUL character on line { $line }: a binary file, or UTF-16 without a BOM?
read-csv = the CSV text is malformed ({ $detail })
read-workbook = not a readable { $format } workbook ({ $detail }); open it in Excel or LibreOffice and save it again
read-not-a-workbook = not a readable { $format } workbook: the file does not start like one; is it another kind of file renamed?
read-broken = not a readable { $format } workbook: its structure is broken ({ $detail }); open it in Excel or LibreOffice and save it again
read-document = not a readable { $format } document ({ $detail }); open it in LibreOffice Writer or Word and save it again
read-nesting = tables are nested more than { $limit } deep inside cells; take the inner tables out of the cells
format-odt = an OpenDocument text (odt)
format-docx = a Word document (docx)
drawing-text = text in a text box or drawing is not read; type it into the table or a paragraph
nested-table = the table inside this cell is read as lines of the cell
embedded-content = content embedded from another file (altChunk) cannot be read; paste it as text
rule-drawing-text = Text in a drawing or text box
rule-embedded-content = Content embedded from another file
read-not-a-file = not a regular file (a device, pipe or socket)
read-used-range = its sheets' used ranges span { $area } cells, each allocated by the xls parser, over the limit of { $limit } (raise it with --max-cells)
read-malformed-merge = the merged range { $reference } is malformed: its last cell comes before its first; open the file and merge the cells again
read-too-many-merges = the sheet has { $merges } merged ranges covering over { $limit } cells of columns (raise it with --max-cells)
read-unsupported = unsupported file type `.{ $ext }` (ocs reads .xlsx, .xlsm, .xls, .ods, .csv, .odt and .docx)
no-table-sheet = no competency table on this sheet; ignored
no-table-file = no sheet holds a competency table (a header row with 工作任務 and 行為指標); check that the file is a 職能基準
same-standard = { $code } was read from sheet { $first } of this file already; this sheet is taken as another view of it and ignored
standard-repeated = { $code } is identical to the one read from { $first }; written once, its defects are listed there
standard-conflict = { $code } was already read from { $first } with different content; this one is not written: give one of them its own code, or remove the older file (if they are two versions of it, `ocs diff OLD NEW` or the 修正對照表 of ocs.html shows what changed)
input-missing = { $path }: no such file or folder
input-missing-hint = name existing files or folders (see `ocs build --help`)
input-skipped = { $why }; skipped
input-symlink-loop = a symlink loop back to a folder above; not followed
input-unreadable = cannot read: { $error }
input-derived = an ocs checklist or matrix, not a standard
input-unlistable = cannot list the folder: { $error }
no-input-folder = there is no folder `input` in { $here }. Put the 職能基準 files (.xlsx, .xls, .ods, .csv, .odt, .docx) in a folder named input, or name them: `ocs build FILE.xlsx`. `ocs init` writes a blank workbook to fill.
no-input-files = no input files (.xlsx, .xlsm, .xls, .ods, .csv, .odt, .docx) in { $paths }

## Writing

write-failed = cannot write { $path }: { $error }
output-in-use = { $file } is open in another program (Excel?) or read-only; close it and run again. The earlier folder is kept as it was
press-any-key = Press any key to close this window…
render-failed = cannot make the document: { $error }
missing-glyph = no font on this machine has `{ $char }` ({ $code }), neither { $font } nor a system font; it prints as an empty box (install a font that has it, or choose one with --font)
role-no-task = role { $role }: { $code } has none of its tasks ({ $missing }), so no checklist is written for it; the tasks of { $code } are { $tasks }
role-missing-tasks = role { $role }: { $code } has no task { $missing }; its checklist has the other tasks (the tasks of { $code } are { $tasks })
roles-none-fit = not one role of the --roles file names a task of { $code }, so no role checklist could be written; correct the task codes in the roles file
roles-toml = not TOML ({ $detail })
roles-not-a-list = role `{ $role }`: expected a list of task codes, such as ["T2.1", "T3.1"]
roles-not-strings = role `{ $role }`: task codes must be strings in quotes
roles-empty = role `{ $role }` has no task
roles-unreadable = cannot read it: { $error }
roles-unusable = { $path }: not a usable roles file: { $problem }
template-io = { $file }: cannot read the template: { $error }
template-invalid = { $file }: not a valid template: { $detail }
font-io = { $file }: cannot read the font: { $error }
font-parse = { $file }: not a usable TrueType/OpenType font (face { $face }): { $detail }
plain = { $text }

## A run's output folder and interruption

interrupted = interrupted: { $written ->
    [one] 1 standard written
   *[other] { $written } standards written
}, the other inputs were not converted; run the same command again to convert them
epoch-range = SOURCE_DATE_EPOCH={ $value } is outside 0..={ $last } (1970 to the end of 9999)
epoch-not-a-number = SOURCE_DATE_EPOCH={ $value } is not a whole number of seconds since 1970
output-is-file = the output folder { $path } is a file, not a folder; name another folder with -o
output-uncreatable = cannot create the output folder { $path }: { $error }
output-unwritable = cannot write in the output folder { $path }: { $error }; name another folder with -o
output-uncleanable = cannot clean what an earlier run left in { $path }: { $error }
output-cleaned = removed what an interrupted run left in { $path }: { $names }

## The command line

init-exists = { $path } exists already; use --force to replace it
init-failed = cannot make the workbook: { $error }
init-wrote = wrote { $path }: fill in sheet 職能基準 (see sheet 填寫說明), then run `ocs build { $path }`
size-not-a-size = `{ $text }` is not a size such as 64M
size-unit = `{ $text }`: the unit must be K, M or G
size-too-large = `{ $text }` is too large
usage-error = { $problem }{ $suggestion } (see `ocs --help`)
usage-suggest = ; did you mean `{ $suggestion }`?
usage-unknown-argument = unknown option `{ $arg }`
usage-unknown-command = unknown command `{ $arg }`; the commands are build, check and init
usage-invalid-value = `{ $value }` is not a value of { $arg }; it takes { $valid }
usage-bad-value = `{ $value }` is not a value of { $arg }: { $reason }
usage-missing-value = { $arg } needs a value
usage-no-command = name a command: build, check or init
usage-conflict = { $arg } cannot be used with the options given with it
usage-too-many = { $arg } is given more than once or with too many values
usage-other = the command line cannot be read near `{ $arg }`
progress-files = files
progress-remaining = remaining
summary-standards = { $good ->
    [one] 1 standard converted
   *[other] { $good } standards converted
}{ $repeats ->
    [0] {""}
    [one] { " " }(1 more input was the same standard, written once)
   *[other] { " " }({ $repeats } more inputs were the same standard, written once)
}, { $failed } failed
summary-standards-read = { $good ->
    [one] 1 standard read
   *[other] { $good } standards read
}, { $failed } failed
summary-counts = ; { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, { $warnings ->
    [one] 1 warning
   *[other] { $warnings } warnings
}, { $notes ->
    [one] 1 note
   *[other] { $notes } notes
}
summary-out = { " " }→ { $out }
summary-time = { " " }in { $seconds } s
summary-by-rule = { "     " }warnings and errors by rule:
summary-more-rules = … and { $rules } more rules (see report.html)
summary-report = { "     " }report: { $path }

cell-too-long = { $sheet }!{ $cell }: the text has more than { $limit } characters, the most a workbook cell holds; the workbook shows its start, the PDF, ODT, JSON and CSV all of it
rule-cell-too-long = Text too long for a workbook cell

## Help texts

help-usage = Usage:
help-commands = Commands
help-options = Options
help-arguments = Arguments
help-help = Print help
help-version = Print the version
help-lang = Language of messages and help: zh-TW or en (default: from LC_ALL, LC_MESSAGES or LANG)
help-ocs = 職能基準 (iCAP occupational competency standards) from Excel, ODF or CSV to the official table, matrix and checklists
help-build = Convert every standard of the inputs into OUT/CODE/ (the official table as PDF, ODT, ODS and XLSX, the matrix, checklists, JSON, CSV) and write OUT/report.html
help-check = Read and validate only; print every diagnostic
help-init = Write a blank input workbook in the official layout for a clerk to fill
help-build-inputs = Input files or folders (.xlsx, .xlsm, .xls, .ods, .csv, .odt, .docx) [default: input]
help-check-inputs = { help-build-inputs }
help-build-out = Output folder [default: out]
help-build-only = Write only these outputs, comma-separated: json, csv, xlsx, ods, pdf, odt, matrix, checklist [default: all]
help-build-template = A template replacing the official one (labels, sizes, paper; see templates/official.toml)
help-build-font = A font file for the PDFs instead of the embedded Noto Sans TC (PATH or PATH:INDEX)
help-build-roles = Roles for the per-role checklists (TOML: role name = ["T2.1", "T3.1"]), replacing the ones found from task titles
help-build-fix = Apply the repairs a careful editor would make (renumber O/P within their task, drop repeated K/S and attitudes), reporting each
help-check-fix = { help-build-fix }
help-build-strict = Treat warnings as failures
help-check-strict = { help-build-strict }
help-build-verbose = Print info diagnostics too (code rewrites, encodings)
help-check-verbose = { help-build-verbose }
help-build-jobs = Threads to convert with [default: one per core]
help-check-jobs = { help-build-jobs }
help-build-max-file-size = Largest input file (sizes take K, M, G) [default: { $file-size }]
help-check-max-file-size = { help-build-max-file-size }
help-build-max-unzipped = Largest total size of an xlsx/ods once decompressed [default: { $unzipped }]
help-check-max-unzipped = { help-build-max-unzipped }
help-build-max-ratio = Highest expansion ratio of one large zip entry [default: { $ratio }]
help-check-max-ratio = { help-build-max-ratio }
help-build-max-rows = Most rows in one sheet [default: { $rows }]
help-check-max-rows = { help-build-max-rows }
help-build-max-cols = Most columns in one sheet [default: { $cols }]
help-check-max-cols = { help-build-max-cols }
help-build-max-cells = Most non-empty cells in one file [default: { $cells }]
help-check-max-cells = { help-build-max-cells }
help-build-max-cell-len = Longest text of one cell [default: { $cell-len }]
help-check-max-cell-len = { help-build-max-cell-len }
help-check-format = How to print diagnostics: text or json (json is the same in every language) [default: text]
help-init-path = Where to write it [default: 職能基準範本.xlsx]
help-init-force = Replace the file if it exists
help-init-template = A template replacing the official one

## report.html

html-title = ocs report
html-counts = { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, { $warnings ->
    [one] 1 warning
   *[other] { $warnings } warnings
}, { $notes ->
    [one] 1 note
   *[other] { $notes } notes
}
html-rule = Rule
html-count = Count
html-standards = Standards ({ $count })
html-status-converted = converted
html-status-failed = failed
html-sources = { $count ->
    [one] Read from:
   *[other] Read from { $count } inputs with the same content:
}
html-outputs = Outputs:
html-no-defects = No defects.
html-defects = { $count ->
    [one] 1 defect to fix, by rule:
   *[other] { $count } defects to fix, by rule:
}
html-notes = Notes ({ $count }): code respellings, encodings and the like; nothing to do
html-other = Inputs and other messages
html-document = Document
html-file-form = the official table
html-file-matrix = competency matrix
html-file-checklist = training checklist
html-file-role = checklist of the role { $role }
html-file-data = data
html-level = Level
html-file = File
html-sheet = Sheet
html-cell = Cell
html-message = What to do

## Rule names (report.html)

rule-prefix-mismatch = Code prefix does not match its parent
rule-duplicate-code = The same O/P code twice in a task
rule-duplicate-competency = The same K/S twice in one cell
rule-duplicate-attitude = The same attitude twice
rule-missing-level = No 職能級別
rule-missing-knowledge = No 知識 (K)
rule-missing-skills = No 技能 (S)
rule-missing-indicators = No 行為指標
rule-level-range = 職能級別 outside 1–6
rule-level = Not a level
rule-code-pattern = 職能基準代碼 pattern
rule-code-classification = 職能基準代碼 and classification disagree
rule-missing-code = Missing code
rule-unsafe-code = 職能基準代碼 unusable as a file name
rule-empty-table = Empty table
rule-no-indicators = No 行為指標 at all
rule-missing-task = Row without 工作任務
rule-missing-duty = 工作任務 without 主要職責
rule-duty-code = Task code in the 主要職責 column
rule-task-code = Duty code in the 工作任務 column
rule-zero-for-o = Digit 0 typed for the letter O
rule-two-names = One code with two names
rule-classification-code = Classification code disagrees
rule-joined-indicator = Two 行為指標 read as one
rule-example-left = Example from ocs init still there
rule-container = File content differs from its extension
rule-read = File cannot be read
rule-no-table = No competency table
rule-duplicate-standard = Same code read twice
rule-write = Cannot write
rule-render = Cannot make a document
rule-role-task = Role names a missing task
rule-role-empty = Role without tasks
rule-missing-glyph = Character missing from every font
rule-input = Input not found

# ocs diff
help-diff = Compare two versions of a standard (any input formats): write OUT/CODE-修正對照表 as PDF, ODT, XLSX and ODS, OUT/CODE-diff.json and OUT/CODE-更新說明.txt, and print the 更新說明; exit 0 same, 1 different, 2 trouble
help-diff-old = The earlier version
help-diff-new = The later version
help-diff-out = { help-build-out }
help-diff-force = Compare even when the two files hold different standards (their codes differ)
help-diff-fix = Apply the repairs of build --fix to both versions before comparing
help-diff-verbose = { help-build-verbose }
help-diff-template = { help-build-template }
help-diff-max-file-size = { help-build-max-file-size }
help-diff-max-unzipped = { help-build-max-unzipped }
help-diff-max-ratio = { help-build-max-ratio }
help-diff-max-rows = { help-build-max-rows }
help-diff-max-cols = { help-build-max-cols }
help-diff-max-cells = { help-build-max-cells }
help-diff-max-cell-len = { help-build-max-cell-len }
diff-first-standard = the file holds several standards; { $code } is compared, not { $others }
diff-unreadable = nothing compared: a version gives no standard (see above)
diff-different-standards = the two files hold different standards: { $old } and { $new }
diff-reversed = the earlier version ({ $old }) looks later than the later one ({ $new }): were the two files given the other way round? Compared as given
diff-force-hint = nothing compared; add --force to compare them anyway
diff-bad-code = the code { $code } cannot name the output files: { $problem }
diff-same = { $old } and { $new } say the same: no change; wrote { $files } into { $out }
diff-changes = { $changes ->
    [one] { $old } → { $new }: 1 change
   *[other] { $old } → { $new }: { $changes } changes
  }; wrote { $files } into { $out }
rule-diff-first-standard = Several standards in a compared file
