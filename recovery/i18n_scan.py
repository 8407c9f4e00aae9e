"""Translation completeness checker (issue 21, Spanish): unmarked strings and missing Spanish.

Three checks, usable as a module (``tests/test_translations.py``) and as a script::

    python recovery/i18n_scan.py --root DIR [paths...]      # prints file:line: text, exit 1 on any finding
    python recovery/i18n_scan.py --root DIR --only templates|python|catalogue [paths...]

(a) ``scan_templates``: every template (``templates/**/*.html``, ``*.txt``) is tokenized with Django's
    Lexer; text outside template tags, ``{% blocktranslate %}``, ``{% comment %}``, ``{% verbatim %}``,
    HTML comments and ``<script>``/``<style>`` that contains a letter is unmarked; so are user-facing
    attributes written literally (``aria-label``, ``placeholder``, ``title``, ``alt``, ``data-*-label`` …,
    the ``value`` of submit buttons), literal ``{% include … with heading="…" %}`` values and literal
    ``|default:"…"`` / ``|yesno:"…"`` arguments.
(b) ``scan_python``: app modules (not migrations, tests, management commands, demo/seed/scale data,
    settings) are read with ``ast``: string literals (and f-strings) with letters given as verbose_name,
    help_text, label, title, subject, body … keyword arguments, to ``messages.*``, ``ValidationError``,
    ``add_error``, ``send_mail``/``EmailMessage``, choices labels (``TextChoices`` members and
    ``choices=[…]``), ``error_messages`` values, ``*_HEADERS``/``*_TITLES``/``*_LABELS`` constants,
    ``title = …`` style assignments and ``{"title": …}`` dict entries. A literal inside ``_()``,
    ``gettext``, ``gettext_lazy``, ``ngettext``, ``pgettext``, ``format_lazy`` … is marked.
(c) ``scan_catalogue``: ``makemessages`` is run over a temporary copy of the sources; every msgid it
    extracts must be in ``locale/es/LC_MESSAGES/django.po`` with a non-empty msgstr (every plural form),
    no fuzzy flag, and the same placeholders as the msgid.

A line holding ``i18n: ignore`` (``# i18n: ignore``, ``{# i18n: ignore #}``) reports nothing: for the rare
literal that is not shown to people although it sits where text usually is (a database trigger's message).

Paths given narrow every check to files under them (relative to ``--root``); (c) then checks the msgids
extracted from those files only.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# ---------------------------------------------------------------------------------------------- common

#: Text shown alone that is the same in every language (names, acronyms). Keep it short.
ALLOWED = {
    "Lantern", "CPRS", "CSV", "XLSX", "PDF", "42 CFR Part 2", "GPRA", "BARC-10", "ID", "UUID", "JSON",
    "OK", "PIN", "TOTP", "NPI", "SSN", "ZIP", "URL",
}
ALLOWED_LOWER = {a.lower() for a in ALLOWED}

SKIP_DIRS = {".venv", "node_modules", ".git", "migrations", "tests", "management", "static", "locale", ".data",
             "__pycache__", "deploy", "docs"}
SKIP_PY_NAMES = re.compile(r"^(settings.*|demo.*|seed.*|scale.*|conftest|localrun|embedded|i18n_scan|wsgi|asgi|"
                           r"celery|manage|dbroles|env|log_filters)\.py$")

LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    text: str
    check: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _has_letter(text: str) -> bool:
    return bool(LETTER.search(text))


def _allowed(text: str) -> bool:
    cleaned = " ".join(text.split()).strip(" .,:;()[]|/·\u2013\u2014-*•→←")
    return not _has_letter(cleaned) or cleaned.lower() in ALLOWED_LOWER


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _within(rel: str, paths: list[str] | None) -> bool:
    if not paths:
        return True
    return any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in paths)


def _norm_paths(root: Path, paths) -> list[str] | None:
    if not paths:
        return None
    out = []
    for p in paths:
        pp = Path(p)
        if pp.is_absolute():
            pp = pp.resolve().relative_to(root.resolve())
        out.append(pp.as_posix().rstrip("/") or ".")
    return None if "." in out else out


def _walk(root: Path, suffixes: tuple[str, ...], skip=SKIP_DIRS):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(suffixes):
                yield Path(dirpath) / name


# ------------------------------------------------------------------------------------------- templates

TEXT_ATTRS = {"aria-label", "aria-description", "aria-placeholder", "aria-roledescription", "aria-valuetext",
              "placeholder", "title", "alt", "label", "summary"}
DATA_ATTR = re.compile(r"^data-(?:[\w-]*-)?(label|labels|text|title|message|confirm|heading|hint|error|"
                       r"placeholder|prompt|caption|status|description|announce|empty|label-[\w-]+|"
                       r"text-[\w-]+|confirm-[\w-]+|message-[\w-]+)$")
VAR_SENTINEL, TAG_SENTINEL = "\x01", "\x02"
SENTINELS = re.compile("[\x01\x02]")
FILTER_ARG = re.compile(r"\|\s*(default|default_if_none|yesno)\s*:\s*(\"[^\"]*\"|'[^']*')")
INCLUDE_WITH = re.compile(r"(\w+)\s*=\s*(\"[^\"]*\"|'[^']*')")
TEXT_KEY = re.compile(r"(label|heading|title|submit|caption|text|message|empty|hint|help|legend|button|"
                      r"confirm|summary|description|placeholder|cancel_text)", re.I)
SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment",
                  "verbatim": "endverbatim"}


def _blank(text: str, sentinel: str = " ") -> str:
    """``text`` replaced by one sentinel, keeping its newlines (so HTML line numbers stay right)."""
    return sentinel + "\n" * text.count("\n")


class _TemplateHTML(HTMLParser):
    def __init__(self, rel: str, findings: list[Finding]):
        super().__init__(convert_charrefs=True)
        self.rel, self.findings, self.raw = rel, findings, None

    def _add(self, line: int, text: str):
        self.findings.append(Finding(self.rel, line, " ".join(text.split())[:120], "template"))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.raw = tag
        attrs_d = {k: (v or "") for k, v in attrs}
        line = self.getpos()[0]
        for name, value in attrs:
            name = SENTINELS.sub("", name or "").lower()
            if not value:
                continue
            user_facing = (name in TEXT_ATTRS or DATA_ATTR.match(name)
                           or (name == "value" and tag in ("input", "button")
                               and attrs_d.get("type", "").lower() in ("submit", "button", "reset")))
            if not user_facing:
                continue
            for piece in SENTINELS.split(value):
                if not _allowed(piece):
                    self._add(line, f'{name}="{piece.strip()}"')

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data):
        if self.raw:
            return
        line = self.getpos()[0]
        for piece in SENTINELS.split(data):
            if not _allowed(piece):
                m = LETTER.search(piece)
                self._add(line + piece[: m.start()].count("\n"), piece)
            line += piece.count("\n")


def scan_template_source(source: str, rel: str) -> list[Finding]:
    """Unmarked text of one template's source."""
    from django.template.base import Lexer, TokenType

    findings: list[Finding] = []
    parts: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        contents = token.contents
        if token.token_type == TokenType.BLOCK:
            word = contents.split()[0] if contents.split() else ""
            if closing:
                if word == closing:
                    closing = None
                parts.append(_blank(contents, TAG_SENTINEL))
                continue
            if word in SKIPPED_BLOCKS:
                closing = SKIPPED_BLOCKS[word]
            elif word == "block" and contents.split()[-1].endswith(("class", "_id", "classes")):
                closing = "endblock"  # a CSS class or an id filled in by a child template: not text
            elif word == "include" and " with " in contents:
                for key, value in INCLUDE_WITH.findall(contents.split(" with ", 1)[1]):
                    if TEXT_KEY.search(key) and not _allowed(value[1:-1]):
                        findings.append(Finding(rel, token.lineno, f"{key}={value}", "template"))
            parts.append(_blank(contents, TAG_SENTINEL))
        elif token.token_type == TokenType.VAR:
            if not closing:
                for _name, value in FILTER_ARG.findall(contents):
                    if any(not _allowed(v) and not _looks_code(v) for v in value[1:-1].split(",")):
                        findings.append(Finding(rel, token.lineno, f"{{{{ {contents} }}}}", "template"))
            parts.append(_blank(contents, VAR_SENTINEL))
        elif token.token_type == TokenType.COMMENT or closing:
            parts.append(_blank(contents, TAG_SENTINEL if token.token_type != TokenType.TEXT else " "))
        else:
            parts.append(contents)
    parser = _TemplateHTML(rel, findings)
    parser.feed("".join(parts))
    parser.close()
    return _drop_ignored(findings, source)


def template_files(root: Path, paths: list[str] | None = None):
    for base in sorted(root.glob("**/templates")):
        if any(part in SKIP_DIRS for part in base.relative_to(root).parts):
            continue
        for path in _walk(base, (".html", ".txt")):
            rel = _rel(root, path)
            if _within(rel, paths):
                yield path, rel


def _scan_files(root, paths, files, scan_source) -> list[Finding]:
    """``scan_source(text, rel)`` over the ``files(root, paths)`` under ``paths`` (all when None)."""
    root = Path(root)
    findings: list[Finding] = []
    for path, rel in files(root, _norm_paths(root, paths)):
        findings += scan_source(path.read_text(encoding="utf-8"), rel)
    return sorted(findings)


def scan_templates(root, paths=None) -> list[Finding]:
    return _scan_files(root, paths, template_files, scan_template_source)


# ---------------------------------------------------------------------------------------------- python

MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
           "npgettext", "npgettext_lazy", "gettext_noop", "format_lazy", "_lazy", "ugettext", "ugettext_lazy",
           "blocktranslate", "translate"}
TEXT_KWARGS = {"verbose_name", "verbose_name_plural", "help_text", "label", "empty_label", "title", "heading",
               "subheading", "caption", "subject", "body", "message", "help", "label_header", "legend",
               "submit", "submit_label", "button", "placeholder", "description", "empty", "empty_text",
               "hint", "summary", "page_title", "text", "confirm", "headers", "labels", "team_title",
               "label_suffix", "csv_header", "header"}
TEXT_NAMES = re.compile(r"^(title|subject|body|heading|headers|headings|caption|label|message|page_title|"
                        r"empty_text|help_text|"
                        r"verbose_name|hint|summary|legend|"
                        r"\w+_(title|subject|heading|caption|label|labels|message|messages|headers|headings|"
                        r"titles|help|hint)|"
                        r"[A-Z0-9_]*(HEADERS|HEADINGS|TITLES|TITLE|LABELS|LABEL|MESSAGES|MESSAGE|HELP|CAPTIONS?))$")
DICT_TEXT_KEYS = {"title", "heading", "caption", "label", "subject", "body", "message", "page_title", "help",
                  "help_text", "hint", "empty", "empty_text", "submit", "legend", "description", "label_header",
                  "headers", "summary", "verbose_name"}
MESSAGE_FUNCS = {"success", "info", "warning", "error", "debug"}
# The project's own helpers that take people's texts as positional arguments (name → argument positions).
TEXT_ARGS = {"offered_flag": (0, 1)}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
CODE_LIKE = re.compile(r"^[\w.:/\-#=?&%{}\[\]@+]*$")


def _is_marker(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return name in MARKERS
    return False


def _looks_code(text: str) -> bool:
    """An internal value (``"clients:detail"``, ``"active"``, ``"%Y-%m-%d"``), not a sentence."""
    t = text.strip()
    return (not t or (bool(CODE_LIKE.match(t)) and (t == t.lower() or not t[:1].isupper()))
            or t.startswith(("/", "#", "http", "%", "{", "<"))) and " " not in t


def _unmarked(node: ast.AST | None):
    """The unmarked literal strings (with letters) making up the value expression ``node``."""
    if node is None or _is_marker(node):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if not _allowed(node.value) and not _looks_code(node.value):
            yield node, node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
        if not _allowed(text.replace("{…}", " ")) and " " in text.strip():
            yield node, text
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        yield from _unmarked(node.left)
        if isinstance(node.op, ast.Add):
            yield from _unmarked(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _unmarked(node.body)
        yield from _unmarked(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _unmarked(value)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for elt in node.elts:
            yield from _unmarked(elt)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _unmarked(value)
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "format" and isinstance(func, ast.Attribute):
            yield from _unmarked(func.value)
        elif name in ("format_html", "mark_safe", "format_html_join") and node.args:
            yield from _unmarked(node.args[0] if name != "format_html_join" else node.args[1:2][0]
                                 if len(node.args) > 1 else None)
        elif name == "join" and isinstance(func, ast.Attribute):
            for arg in node.args:
                yield from _unmarked(arg)


def _choice_labels(node: ast.AST):
    """The labels (2nd elements) of a literal ``choices=[(value, label), …]``."""
    if isinstance(node, (ast.List, ast.Tuple)):
        for elt in node.elts:
            if isinstance(elt, (ast.Tuple, ast.List)) and len(elt.elts) == 2:
                if isinstance(elt.elts[1], (ast.List, ast.Tuple)):  # optgroup
                    yield from _choice_labels(elt.elts[1])
                else:
                    yield from _unmarked(elt.elts[1])


def _target_name(target: ast.AST) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return str(target.slice.value)
    return ""


class _PyVisitor(ast.NodeVisitor):
    def __init__(self, rel: str):
        self.rel, self.findings, self.seen = rel, [], set()

    def _flag(self, node: ast.AST | None, why: str = ""):
        for lit, text in _unmarked(node):
            key = (lit.lineno, lit.col_offset)
            if key not in self.seen:
                self.seen.add(key)
                self.findings.append(Finding(self.rel, lit.lineno, " ".join(text.split())[:120], "python"))

    def visit_ClassDef(self, node: ast.ClassDef):
        bases = {b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                 for b in node.bases}
        if bases & CHOICES_BASES:
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                    name, value = stmt.targets[0].id, stmt.value
                    if not name[:1].isupper():
                        continue
                    if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
                        self._flag(value.elts[-1])
                    elif isinstance(value, ast.Constant):  # label made from the member's English name
                        self.findings.append(Finding(self.rel, stmt.lineno,
                                                     f"{name} = {value.value!r} (choice without a marked label)",
                                                     "python"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        if not _is_marker(node):
            for kw in node.keywords:
                if kw.arg in TEXT_KWARGS:
                    self._flag(kw.value)
                elif kw.arg == "choices":
                    for lit, _text in _choice_labels(kw.value):
                        self._flag(lit)
                elif kw.arg == "error_messages" and isinstance(kw.value, ast.Dict):
                    for value in kw.value.values:
                        self._flag(value)
            if name.endswith("Field") and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr)):
                self._flag(node.args[0])  # a model field's verbose_name given first
            if owner == "messages" and name in MESSAGE_FUNCS and len(node.args) >= 2:
                self._flag(node.args[1])
            elif name == "add_message" and len(node.args) >= 3:
                self._flag(node.args[2])
            elif name == "ValidationError" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Dict):
                    for value in arg.values:
                        self._flag(value)
                else:
                    self._flag(arg)
            elif name in TEXT_ARGS:
                for position in TEXT_ARGS[name]:
                    if len(node.args) > position:
                        self._flag(node.args[position])
            elif name == "add_error" and len(node.args) >= 2:
                self._flag(node.args[1])
            elif name in ("send_mail", "EmailMessage", "EmailMultiAlternatives", "mail_admins_text"):
                for arg in node.args[:2]:
                    self._flag(arg)
        self.generic_visit(node)

    def _assign(self, targets, value):
        if value is None:
            return
        for target in targets:
            if TEXT_NAMES.match(_target_name(target)):
                self._flag(value)

    def visit_Assign(self, node: ast.Assign):
        self._assign(node.targets, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign):
        self._assign([node.target], node.value)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in DICT_TEXT_KEYS:
                self._flag(value)
            if isinstance(key, ast.Constant) and key.value == "error_messages" and isinstance(value, ast.Dict):
                for v in value.values:
                    self._flag(v)
        self.generic_visit(node)


IGNORE = "i18n: ignore"  # on a line (a Python comment, a {# #} in a template): nothing there is reported


def _drop_ignored(findings: list[Finding], source: str) -> list[Finding]:
    lines = source.splitlines()
    return [f for f in findings if not (0 < f.line <= len(lines) and IGNORE in lines[f.line - 1])]


def scan_python_source(source: str, rel: str) -> list[Finding]:
    visitor = _PyVisitor(rel)
    visitor.visit(ast.parse(source, filename=rel))
    return _drop_ignored(visitor.findings, source)


def python_files(root: Path, paths: list[str] | None = None):
    for path in _walk(root, (".py",)):
        rel = _rel(root, path)
        if "/" not in rel or SKIP_PY_NAMES.match(path.name) or path.name.startswith("test_"):
            continue
        if _within(rel, paths):
            yield path, rel


def scan_python(root, paths=None) -> list[Finding]:
    return _scan_files(root, paths, python_files, scan_python_source)


# ------------------------------------------------------------------------------------------- catalogue

CATALOGUE = Path("locale/es/LC_MESSAGES/django.po")
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{\{\s*[\w.]+\s*\}\}|\{\w*\}")


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0).replace(" ", "") for m in PLACEHOLDER.finditer(text.replace("%%", "")))


def extract_messages(root) -> list:
    """The catalogue makemessages would write for ``root``'s sources now (polib entries, with locations)."""
    import polib

    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="i18n-scan-") as tmp:
        work = Path(tmp) / "src"
        for path in _walk(root, (".py", ".html", ".txt"), skip=SKIP_DIRS - {"migrations", "management"}):
            rel = path.relative_to(root)
            if rel.parts[0] in ("tests",) or path.name.startswith("test_"):
                continue
            dest = work / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
        (work / "locale").mkdir(parents=True, exist_ok=True)
        script = (
            "import django; from django.conf import settings; "
            "settings.configure(USE_I18N=True, LOCALE_PATHS=['locale']); django.setup(); "
            "from django.core.management import call_command; "
            "call_command('makemessages', locale=['es'], verbosity=0, no_obsolete=True, "
            "ignore_patterns=['tests', 'tests/*'])"
        )
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        subprocess.run([sys.executable, "-c", script], cwd=work, check=True, env=env)  # noqa: S603 (fixed code)
        po = work / CATALOGUE
        return list(polib.pofile(str(po))) if po.exists() else []


def scan_catalogue(root, paths=None, extracted=None) -> list[Finding]:
    """Every msgid the code uses (from files under ``paths`` if given) translated in the es catalogue."""
    import polib

    root = Path(root)
    paths = _norm_paths(root, paths)
    catalogue_path = root / CATALOGUE
    if not catalogue_path.exists():
        return [Finding(CATALOGUE.as_posix(), 0, "the Spanish catalogue does not exist", "catalogue")]
    catalogue = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(catalogue_path)) if not e.obsolete}
    findings: list[Finding] = []
    for entry in extracted if extracted is not None else extract_messages(root):
        where = [(f, int(n or 0)) for f, n in entry.occurrences if _within(f, paths)]
        if paths and not where:
            continue
        file, line = where[0] if where else (entry.occurrences or [(CATALOGUE.as_posix(), 0)])[0]
        line = int(line or 0)
        label = entry.msgid[:80].replace("\n", " ")
        found = catalogue.get((entry.msgctxt, entry.msgid))

        def add(problem, file=file, line=line, label=label):
            findings.append(Finding(file, line, f"{problem}: {label!r}", "catalogue"))

        if found is None:
            add("not in the Spanish catalogue")
            continue
        if "fuzzy" in found.flags:
            add("fuzzy in the Spanish catalogue")
            continue
        if entry.msgid_plural:
            forms = [v for _k, v in sorted(found.msgstr_plural.items())]
            if not forms or not all(f.strip() for f in forms):
                add("no Spanish (every plural form)")
                continue
            allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
            if any(not set(placeholders(f)) <= allowed for f in forms) or \
                    not set(placeholders(entry.msgid_plural)) <= set(placeholders(forms[-1])):
                add("placeholders differ in Spanish")
        else:
            if not found.msgstr.strip():
                add("no Spanish")
            elif placeholders(found.msgstr) != placeholders(entry.msgid):
                add("placeholders differ in Spanish")
    return sorted(findings)


# ---------------------------------------------------------------------------------------------- script

def scan(root, paths=None, only=None) -> list[Finding]:
    checks = {"templates": scan_templates, "python": scan_python, "catalogue": scan_catalogue}
    findings: list[Finding] = []
    for name, check in checks.items():
        if not only or name in only:
            findings += check(root, paths)
    return findings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="List unmarked user-facing strings and missing Spanish.")
    parser.add_argument("--root", default=".", help="the project root (holds manage.py)")
    parser.add_argument("--only", action="append", choices=["templates", "python", "catalogue"])
    parser.add_argument("paths", nargs="*", help="limit to files under these paths (relative to --root)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    findings = scan(root, args.paths, args.only)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
