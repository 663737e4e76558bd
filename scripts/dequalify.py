#!/usr/bin/env python3
"""Rewrites inline fully qualified class names in Java sources into imports and simple names.

    scripts/dequalify.py                  # every src/main/java and src/test/java under the repository
    scripts/dequalify.py PATH...          # only these files or folders
    scripts/dequalify.py --check [PATH...]  # change nothing; exit 1 if a rewrite is possible

In code, `java.util.List<String> xs = new java.util.ArrayList<>()` becomes `List<String> xs = new
ArrayList<>()` plus `import java.util.List;` and `import java.util.ArrayList;`. A nested type keeps its
outer class (`java.util.Map.Entry` -> `import java.util.Map;` and `Map.Entry`); static calls, class
literals, annotations, arrays, generics and `throws`/`catch` clauses are all the same case: the
qualified prefix up to the first capitalised name is the top-level class. `java.lang.X` and classes of
the file's own package need no import. In javadoc, the references of `{@link}`, `{@linkplain}`, `@see`
and `@throws` are shortened only where the simple name already means that class (imported, same
package, java.lang): javadoc alone never adds an import.

A rewrite is skipped (and reported) when the simple name could mean something else in the file:
another import or static import of that name, a type or type parameter of that name declared in the
file, a class of that name in the file's package (anywhere in the scanned tree), a java.lang class of
that name (for a class that is not java.lang's), a variable of that name, or a wildcard import.
`package` and `import` statements, string literals, text blocks and comments other than the javadoc
references above are never changed. Running it again changes nothing.

Python 3 standard library only. The result still goes through `mvn spotless:apply` (import order,
line wrapping) and the compiler: a name brought into scope by a superclass is not seen here.
"""

import argparse
import os
import re
import sys

# First segments of the package names this project uses (imports in the tree are added to these).
DEFAULT_ROOTS = {"java", "javax", "jdk", "jakarta", "sun", "com", "org", "io", "dev", "net", "ai", "picocli"}

# The public types of java.lang (Java 17 and a few later ones): importing another class of one of these
# names would shadow java.lang's everywhere in the file.
JAVA_LANG = set("""
AbstractMethodError Appendable ArithmeticException ArrayIndexOutOfBoundsException ArrayStoreException
AssertionError AutoCloseable Boolean BootstrapMethodError Byte Character CharSequence Class
ClassCastException ClassCircularityError ClassFormatError ClassLoader ClassNotFoundException
ClassValue CloneNotSupportedException Cloneable Comparable Compiler Deprecated Double Enum
EnumConstantNotPresentException Error Exception ExceptionInInitializerError Float FunctionalInterface
IllegalAccessError IllegalAccessException IllegalArgumentException IllegalCallerException
IllegalMonitorStateException IllegalStateException IllegalThreadStateException
IncompatibleClassChangeError IndexOutOfBoundsException InheritableThreadLocal InstantiationError
InstantiationException Integer InternalError InterruptedException Iterable LayerInstantiationException
LinkageError Long MatchException Math Module ModuleLayer NegativeArraySizeException
NoClassDefFoundError NoSuchFieldError NoSuchFieldException NoSuchMethodError NoSuchMethodException
NullPointerException Number NumberFormatException Object OutOfMemoryError Override Package Process
ProcessBuilder ProcessHandle Readable Record ReflectiveOperationException Runnable Runtime
RuntimeException RuntimePermission SafeVarargs ScopedValue SecurityException SecurityManager Short
StackOverflowError StackTraceElement StackWalker StrictMath String StringBuffer StringBuilder
StringIndexOutOfBoundsException StringTemplate SuppressWarnings System Thread ThreadDeath ThreadGroup
ThreadLocal Throwable TypeNotPresentException UnknownError UnsatisfiedLinkError
UnsupportedClassVersionError UnsupportedOperationException VerifyError VirtualMachineError Void
WrongThreadException
""".split())

TYPE_KEYWORDS = {"class", "interface", "enum", "record"}
# Words that can stand right before a name without that name being a variable being declared.
NOT_A_TYPE = {"return", "throw", "new", "case", "else", "assert", "yield", "package", "import", "break",
              "continue", "extends", "implements", "throws", "permits", "instanceof", "default", "do"}

_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER = re.compile(
    r"(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?"
    r"|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?"
    r"|\.[0-9][0-9_]*(?:[eE][+-]?[0-9_]+)?)[lLfFdD]?")
_PACKAGE_SEGMENT = re.compile(r"[a-z_][a-z0-9_]*$")
_SKIP_DIRS = {"target", "node_modules", ".git", "build", "out"}


class Token:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind, text, start, end):
        self.kind, self.text, self.start, self.end = kind, text, start, end

    def __repr__(self):
        return f"{self.kind}:{self.text!r}"


def tokenize(src):
    """Java tokens: ident, num, str (literals and text blocks), comment, javadoc, op. No whitespace."""
    tokens, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c.isspace():
            i += 1
            continue
        start = i
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            tokens.append(Token("comment", src[start:i], start, i))
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            text = src[start:i]
            kind = "javadoc" if text.startswith("/**") and text != "/**/" else "comment"
            tokens.append(Token(kind, text, start, i))
        elif src.startswith('"""', i):
            i += 3
            while i < n and not src.startswith('"""', i):
                i += 2 if src[i] == "\\" else 1
            i = min(n, i + 3)
            tokens.append(Token("str", src[start:i], start, i))
        elif c == '"' or c == "'":
            i += 1
            while i < n and src[i] != c and src[i] != "\n":
                i += 2 if src[i] == "\\" else 1
            i = min(n, i + 1)
            tokens.append(Token("str", src[start:i], start, i))
        elif c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit()):
            m = _NUMBER.match(src, i)
            i = m.end() if m and m.end() > i else i + 1
            tokens.append(Token("num", src[start:i], start, i))
        elif c.isalpha() or c in "_$" or ord(c) > 127:
            m = _IDENT.match(src, i)
            if m:
                i = m.end()
            else:
                i += 1
                while i < n and (src[i].isalnum() or src[i] in "_$" or ord(src[i]) > 127):
                    i += 1
            tokens.append(Token("ident", src[start:i], start, i))
        else:
            for op in ("...", "::", "->"):
                if src.startswith(op, i):
                    i += len(op)
                    break
            else:
                i += 1
            tokens.append(Token("op", src[start:i], start, i))
    return tokens


def statement_end(code, k):
    """Index of the ';' that ends the statement starting at code[k]."""
    while k < len(code) and code[k].text != ";":
        k += 1
    return k


class JavaFile:
    def __init__(self, path, src):
        self.path, self.src = path, src
        self.tokens = tokenize(src)
        self.code = [t for t in self.tokens if t.kind not in ("comment", "javadoc")]
        self.package = ""
        self.imports = {}  # simple name -> fully qualified name (single-type imports)
        self.static_names = set()  # simple names brought in by static imports
        self.wildcard = False  # a non-static on-demand import: a new import could shadow one of its names
        self.header_spans = []  # (start, end) character spans of package and import statements
        self.import_tokens = []  # (Token of 'import', Token of ';', is_static, name)
        self.package_end = None  # the ';' of the package statement
        # `package` and `import` are reserved words: wherever one is a code token, a statement starts
        code, k = self.code, 0
        while k < len(code):
            t = code[k]
            if t.kind != "ident" or t.text not in ("package", "import"):
                k += 1
                continue
            e = statement_end(code, k)
            if e >= len(code):
                break
            names = [x.text for x in code[k + 1:e]]
            if t.text == "package":
                self.package = "".join(names)
                self.package_end = code[e]
            else:
                static = bool(names) and names[0] == "static"
                name = "".join(names[1:] if static else names)
                self.import_tokens.append((t, code[e], static, name))
                simple = name.rsplit(".", 1)[-1]
                if static:
                    if simple != "*":
                        self.static_names.add(simple)
                elif simple == "*":
                    self.wildcard = True
                else:
                    self.imports.setdefault(simple, name)
            self.header_spans.append((t.start, code[e].end))
            k = e + 1
        self.declared_types, self.declared_vars = self._declarations()

    def _declarations(self):
        """Names of the types and type parameters declared in the file, and of its variables."""
        code, types, variables = self.code, set(), set()
        for k, t in enumerate(code):
            if t.kind != "ident":
                continue
            prev = code[k - 1] if k else None
            nxt = code[k + 1] if k + 1 < len(code) else None
            if prev is not None and prev.kind == "ident" and prev.text in TYPE_KEYWORDS:
                if k >= 2 and code[k - 2].text in (".", "::"):
                    continue  # Foo.class or similar
                types.add(t.text)
            elif prev is not None and prev.text == "@" and t.text == "interface" and nxt is not None:
                types.add(nxt.text)
            # variables: "<type or > or ]> name <= ; , ) :>"
            if (nxt is not None and nxt.text in ("=", ";", ",", ")", ":") and prev is not None
                    and (prev.kind == "ident" and prev.text not in NOT_A_TYPE or prev.text in (">", "]"))):
                variables.add(t.text)
        # type parameters: '<' directly after a declared type's name or before a method's return type
        for k, t in enumerate(code):
            if t.text != "<" or k == 0:
                continue
            prev = code[k - 1]
            is_decl = (prev.kind == "ident" and prev.text in types and k >= 2 and code[k - 2].kind == "ident"
                       and code[k - 2].text in TYPE_KEYWORDS)
            is_method = prev.kind == "ident" and prev.text in (
                "public", "private", "protected", "static", "final", "abstract", "synchronized", "default",
                "native", "strictfp") or prev.text in ("{", "}", ";")
            if not (is_decl or is_method):
                continue
            depth, j = 0, k
            expect_name = True
            while j < len(code):
                x = code[j]
                if x.text == "<":
                    depth += 1
                    expect_name = depth == 1
                elif x.text == ">":
                    depth -= 1
                    if depth == 0:
                        break
                elif x.text == ",":
                    expect_name = depth == 1
                elif x.kind == "ident" and expect_name and depth == 1:
                    types.add(x.text)
                    expect_name = False
                elif x.text in (";", "{", "(", "="):
                    break
                j += 1
        return types, variables


def is_header(jf, pos):
    return any(s <= pos < e for s, e in jf.header_spans)


def find_chains(jf, roots):
    """Qualified names in code: (first token index, index of the top-level class's token, names)."""
    code, chains, k = jf.code, [], 0
    while k < len(code):
        t = code[k]
        if t.kind != "ident" or t.text not in roots or is_header(jf, t.start):
            k += 1
            continue
        if k > 0 and code[k - 1].text in (".", "::"):
            k += 1
            continue
        names, idx = [t.text], [k]
        j = k
        while (j + 2 < len(code) and code[j + 1].text == "." and code[j + 2].kind == "ident"
               and code[j + 1].start == code[j].end and code[j + 2].start == code[j + 1].end):
            j += 2
            names.append(code[j].text)
            idx.append(j)
        top = next((p for p, name in enumerate(names) if name[:1].isupper()), None)
        if top is None or top == 0 or not all(_PACKAGE_SEGMENT.match(x) for x in names[:top]):
            k = j + 1
            continue
        chains.append((k, idx[top], names[:top + 1]))
        k = idx[top] + 1
    return chains


class Rewriter:
    def __init__(self, package_types, roots):
        self.package_types = package_types  # package -> set of top-level type names in the tree
        self.roots = roots

    def resolve(self, jf, simple, fqn, new_imports):
        """How `simple` can stand for `fqn` here: 'ok' (already means it), 'import' (with an import), or
        the reason it cannot."""
        package, _, _ = fqn.rpartition(".")
        imported = new_imports.get(simple) or jf.imports.get(simple)
        if imported is not None:
            return "ok" if imported == fqn else f"{simple} is imported as {imported}"
        if simple in jf.static_names:
            return f"{simple} is statically imported"
        if simple in jf.declared_types:
            own = f"{jf.package}.{simple}" if jf.package else simple
            top_level = os.path.basename(jf.path)[:-len(".java")] == simple
            if top_level and fqn == own:
                return "ok"
            return f"{simple} is a type declared in this file"
        if simple in jf.declared_vars:
            return f"{simple} is also a variable here"
        if package == jf.package:
            return "ok"
        if simple in self.package_types.get(jf.package, ()):
            return f"{simple} is a class of package {jf.package}"
        if package == "java.lang":
            return "ok"
        if simple in JAVA_LANG:
            return f"{simple} would hide java.lang.{simple}"
        if jf.wildcard:
            return "the file has a wildcard import"
        return "import"

    def rewrite(self, path, src):
        jf = JavaFile(path, src)
        if os.path.basename(path) == "module-info.java":
            return src, [], []
        roots = self.roots
        edits, new_imports, skipped, done = [], {}, [], []
        for k, top_k, names in find_chains(jf, roots):
            fqn, simple = ".".join(names), names[-1]
            line = src.count("\n", 0, jf.code[k].start) + 1
            if names[0] in jf.declared_vars:
                skipped.append((line, fqn, f"{names[0]} is also a variable here"))
                continue
            verdict = self.resolve(jf, simple, fqn, new_imports)
            if verdict == "import":
                new_imports[simple] = fqn
            elif verdict != "ok":
                skipped.append((line, fqn, verdict))
                continue
            edits.append((jf.code[k].start, jf.code[top_k].end, simple))
            done.append((line, fqn))
        # javadoc: only where the simple name already means the class (or will, through the imports above)
        for t in jf.tokens:
            if t.kind == "javadoc":
                for s, e, fqn, simple in self._javadoc_refs(t, roots - jf.declared_vars):
                    if self.resolve(jf, simple, fqn, new_imports) == "ok":
                        edits.append((s, e, simple))
                        done.append((src.count("\n", 0, s) + 1, fqn))
        if not edits:
            return src, done, skipped
        out = src
        for s, e, text in sorted(edits, reverse=True):
            out = out[:s] + text + out[e:]
        if new_imports:
            out = self._add_imports(JavaFile(path, out), out, sorted(new_imports.values()))
        return out, done, skipped

    _REF_TAG = re.compile(r"\{@(?:link|linkplain)\s+|(?<![\w{])@(?:see|throws|exception)\s+")
    _QUALIFIED = re.compile(r"(?<![\w.$#])((?:[a-z_][a-z0-9_]*\.)+)([A-Z][A-Za-z0-9_$]*)")

    def _javadoc_refs(self, tok, roots):
        text = tok.text
        for m in self._REF_TAG.finditer(text):
            # the reference: up to the first blank outside parentheses, or the closing brace
            i, depth = m.end(), 0
            while i < len(text):
                ch = text[i]
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                elif ch == "}" and depth <= 0:
                    break
                elif ch.isspace() and depth <= 0:
                    break
                elif ch == "\n":
                    break
                i += 1
            ref = text[m.end():i]
            for q in self._QUALIFIED.finditer(ref):
                prefix = q.group(1)
                if prefix.split(".", 1)[0] not in roots:
                    continue
                s = tok.start + m.end() + q.start()
                e = tok.start + m.end() + q.end()
                yield s, e, prefix + q.group(2), q.group(2)

    @staticmethod
    def _add_imports(jf, src, fqns):
        """Inserts `import X;` lines among the file's non-static imports, in order where they are sorted."""
        existing = [(t, semi, name) for t, semi, static, name in jf.import_tokens if not static]

        def after_line(pos):
            end = src.find("\n", pos)
            return len(src) if end < 0 else end + 1

        groups = {}  # position -> import lines to insert there, in order
        for fqn in fqns:
            before = next((t for t, _, name in existing if name > fqn), None)
            if before is not None:
                pos = src.rfind("\n", 0, before.start) + 1
            elif existing:
                pos = after_line(existing[-1][1].end)
            elif jf.import_tokens:  # static imports only: the others go in a block after them
                pos = -after_line(jf.import_tokens[-1][1].end)
            elif jf.package_end is not None:  # no imports yet: a block after the package statement
                pos = -after_line(jf.package_end.end)
            else:
                pos = -0.5  # default package, no imports: at the top
            groups.setdefault(pos, []).append(f"import {fqn};\n")
        for pos in sorted(groups, key=abs, reverse=True):
            text = "".join(groups[pos])
            if pos < 0 or pos == -0.5:  # a new block: set it apart with blank lines
                pos = int(abs(pos))
                if pos > 0:
                    text = "\n" + text
                if not src[pos:].startswith("\n"):
                    text += "\n"
            src = src[:pos] + text + src[pos:]
        return src


def java_files(paths):
    for p in paths:
        if os.path.isfile(p):
            if p.endswith(".java"):
                yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            for f in sorted(files):
                if f.endswith(".java"):
                    yield os.path.join(root, f)


def source_roots(repo):
    """Every src/main/java and src/test/java folder under the repository."""
    found = []
    for root, dirs, _ in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for kind in ("main", "test"):
            if root.endswith(os.path.join("src", kind)) and "java" in dirs:
                found.append(os.path.join(root, "java"))
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="files or folders (default: every src/{main,test}/java of the repository)")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything would be rewritten")
    ap.add_argument("--root", action="append", default=[], help="one more first package segment to look for")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every rewrite, not only the skipped ones")
    args = ap.parse_args(argv)

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tree = source_roots(repo)
    targets = args.paths or tree

    # every type of the tree by package, and the first segments of the packages in use
    package_types, roots = {}, set(DEFAULT_ROOTS) | set(args.root)
    for f in java_files(tree + [p for p in targets if p not in tree]):
        with open(f, encoding="utf-8") as fh:
            src = fh.read()
        m = re.search(r"^\s*package\s+([\w.]+)\s*;", src, re.M)
        pkg = m.group(1) if m else ""
        name = os.path.basename(f)[:-len(".java")]
        if name not in ("package-info", "module-info"):
            package_types.setdefault(pkg, set()).add(name)

    rewriter = Rewriter(package_types, roots)
    changed = rewrites = 0
    skipped_total = []
    for f in java_files(targets):
        with open(f, encoding="utf-8") as fh:
            src = fh.read()
        out, done, skipped = rewriter.rewrite(f, src)
        rel = os.path.relpath(f)
        for line, fqn, why in skipped:
            skipped_total.append(f"{rel}:{line}: kept {fqn}: {why}")
        if out != src:
            changed += 1
            rewrites += len(done)
            if args.verbose or args.check:
                for line, fqn in done:
                    print(f"{rel}:{line}: {fqn}")
            if not args.check:
                with open(f, "w", encoding="utf-8") as fh:
                    fh.write(out)
    for s in skipped_total:
        print(s)
    verb = "would rewrite" if args.check else "rewrote"
    print(f"dequalify: {verb} {rewrites} qualified names in {changed} files; kept {len(skipped_total)}",
          file=sys.stderr)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
