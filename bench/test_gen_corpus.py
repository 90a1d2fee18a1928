#!/usr/bin/env python3
"""Self-tests of bench/gen_corpus.py (standard library only).

Run: ``python3 bench/test_gen_corpus.py`` (about 10 s).  Checks determinism (same seed,
byte-identical tree), that a smaller corpus is a prefix of a bigger one, that every file is
strict JSON or, when it has comments, JSON once the comments are removed, the BOM/CRLF
variations, the large-mode size bounds, and the shapes the linter relies on.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "gen_corpus.py")


def generate(out: str, *args: str) -> str:
    """Run the generator; return its summary line."""
    res = subprocess.run([sys.executable, GEN, "--out", out, *args],
                         check=True, capture_output=True, text=True)
    return res.stdout.strip()


def tree_hashes(root: str) -> dict[str, str]:
    """sha256 of every file below ``root``, keyed by relative path."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def strip_comments(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments outside strings (a minimal JSONC reader)."""
    out = []
    i, n = 0, len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif text.startswith("/*", i):
            j = text.index("*/", i + 2)
            out.append(" ")
            i = j + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def load(path: str) -> tuple[object, dict]:
    """Parse one generated file; returns (document, flags)."""
    with open(path, "rb") as f:
        raw = f.read()
    flags = {"bom": raw.startswith(b"\xef\xbb\xbf"), "crlf": b"\r\n" in raw}
    text = raw.decode("utf-8-sig")
    try:
        doc = json.loads(text)
        flags["comments"] = False
    except json.JSONDecodeError:
        doc = json.loads(strip_comments(text))
        flags["comments"] = True
    return doc, flags


class GeneratorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        t = cls.tmp.name
        cls.a = os.path.join(t, "a")
        cls.b = os.path.join(t, "b")
        cls.small = os.path.join(t, "small")
        cls.large = os.path.join(t, "large")
        cls.summary = generate(cls.a, "--pairs", "600")
        generate(cls.b, "--pairs", "600")
        generate(cls.small, "--pairs", "300")
        generate(cls.large, "--large", "--large-files", "4")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_deterministic(self):
        ha, hb = tree_hashes(self.a), tree_hashes(self.b)
        self.assertEqual(len(ha), 600 * 2 + 12)
        self.assertEqual(ha, hb)

    def test_other_seed_differs(self):
        with tempfile.TemporaryDirectory() as t:
            c = os.path.join(t, "c")
            generate(c, "--pairs", "600", "--seed", "7")
            self.assertNotEqual(tree_hashes(self.a), tree_hashes(c))

    def test_smaller_is_prefix(self):
        ha, hs = tree_hashes(self.a), tree_hashes(self.small)
        for rel, h in hs.items():
            self.assertEqual(ha.get(rel), h, rel)

    def test_summary_line(self):
        self.assertIn("files=1212", self.summary)
        self.assertIn("bytes=", self.summary)

    def test_files_parse_and_shapes(self):
        counts = {"bom": 0, "crlf": 0, "comments": 0, "offers": 0}
        for rel in tree_hashes(self.a):
            path = os.path.join(self.a, rel)
            doc, flags = load(path)
            for k in ("bom", "crlf", "comments"):
                counts[k] += flags[k]
            if rel.endswith(".offer.json"):
                counts["offers"] += 1
                self.assertIn("plans", doc)
                self.assertTrue(doc["plans"])
                for plan in doc["plans"]:
                    self.assertRegex(plan["manifest"]["version"], r"^\d+\.\d+\.\d+$")
            elif rel.endswith(".parameters.json"):
                self.assertIn("parameters", doc)
                self.assertIn("managedByTenantId", doc["parameters"])
                tpl = path[: -len(".parameters.json")] + ".json"
                self.assertTrue(os.path.exists(tpl), tpl)
            else:
                self.assertIn("subscriptionDeploymentTemplate.json", doc["$schema"])
                types = json.dumps([r["type"] for r in doc["resources"]])
                self.assertIn("registrationDefinitions", types)
                self.assertTrue("registrationAssignments" in types or "Microsoft.Resources/deployments" in types)
                defs = [r for r in doc["resources"] if r["type"].endswith("registrationDefinitions")]
                self.assertEqual(defs[0]["properties"]["authorizations"], "[parameters('authorizations')]")
        self.assertEqual(counts["offers"], 12)
        for k in ("bom", "crlf", "comments"):
            self.assertGreater(counts[k], 0, k)
        self.assertLess(counts["comments"], 0.06 * 1212)

    def test_authorization_counts_and_defects(self):
        sizes, owner, placeholder, upn = [], 0, 0, 0
        for rel in tree_hashes(self.a):
            if not rel.endswith(".parameters.json"):
                continue
            doc, _ = load(os.path.join(self.a, rel))
            p = doc["parameters"]
            auths = p["authorizations"]["value"] if "authorizations" in p else None
            if auths is None:  # inline variant: defaultValue in the template
                tdoc, _ = load(os.path.join(self.a, rel[: -len(".parameters.json")] + ".json"))
                auths = tdoc["parameters"]["authorizations"]["defaultValue"]
            sizes.append(len(auths))
            owner += any(a["roleDefinitionId"] == "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" for a in auths)
            upn += any("@" in a.get("principalIdDisplayName", "") for a in auths)
            placeholder += p["managedByTenantId"]["value"].startswith("<")
        self.assertGreaterEqual(min(sizes), 1)
        self.assertLessEqual(max(sizes), 40)
        self.assertGreater(max(sizes), 20)
        self.assertGreater(owner, 0)
        self.assertGreater(upn, 0)
        self.assertGreater(placeholder, 0)

    def test_large_sizes(self):
        sizes = []
        for rel in tree_hashes(self.large):
            path = os.path.join(self.large, rel)
            doc, flags = load(path)
            if not rel.endswith(".parameters.json"):
                self.assertFalse(flags["comments"], rel)
                sizes.append(os.path.getsize(path))
        self.assertEqual(len(sizes), 4)
        for s in sizes:
            self.assertGreaterEqual(s, 200 * 1024)
            self.assertLessEqual(s, 2048 * 1024)

    def test_large_policy_rules_are_escaped(self):
        """Expressions inside a policy rule are Azure Policy's, escaped with ``[[``."""
        def strings(value):
            if isinstance(value, dict):
                for v in value.values():
                    yield from strings(v)
            elif isinstance(value, list):
                for v in value:
                    yield from strings(v)
            elif isinstance(value, str):
                yield value

        def policy_rules(value):
            if isinstance(value, dict):
                if "policyRule" in value:
                    yield value["policyRule"]
                for v in value.values():
                    yield from policy_rules(v)
            elif isinstance(value, list):
                for v in value:
                    yield from policy_rules(v)

        escaped = 0
        for rel in tree_hashes(self.large):
            doc, _ = load(os.path.join(self.large, rel))
            for rule in policy_rules(doc):
                for text in strings(rule):
                    self.assertFalse(text.startswith("[") and not text.startswith("[["), f"{rel}: {text}")
                    escaped += text.startswith("[[")
        self.assertGreater(escaped, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
