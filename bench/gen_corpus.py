#!/usr/bin/env python3
"""Seeded, deterministic generator of lhlint benchmark corpora (Python standard library only).

Two modes:

* pairs (default): ``--pairs N`` Azure Lighthouse onboarding templates, each with its
  ``X.parameters.json``, plus about one Managed Service offer manifest (``*.offer.json``)
  per 50 pairs.  The shapes follow the official samples (Azure/Azure-Lighthouse-samples,
  ``templates/delegated-resource-management*``) and shared/spec/domain.md section 2:
  subscription-scope templates, resource-group variants with a nested
  ``Microsoft.Resources/deployments``, multi-RG copy loops, eligible (JIT) authorizations,
  Marketplace ``plan`` details, authorizations in ``defaultValue``.  A small share of files
  carry comments, a UTF-8 BOM or CRLF line ends, and a small share carry the defects the
  linter looks for (placeholder tenant, missing delete role, Owner, UPN display names, ...).

* large (``--large``): ``--large-files N`` real-world-sized templates of 200 KiB to 2 MiB
  each (many resources, big variables, long authorization lists, workbooks with long
  embedded strings, deep nesting), each with its parameters file.  Large templates never
  carry comments (a commented file makes the floor fail at the first comment, which would
  make the floor unrealistically cheap on a 2 MB file); their parameters files may.

Layout: files go into nested folders, ``--per-dir`` files per leaf folder (default 100,
i.e. 50 pairs), ten leaf folders per parent folder.

Determinism: every pair, offer and large file draws from its own ``random.Random`` seeded
with a string derived from ``--seed`` and its index, so the same seed always gives a
byte-identical tree, and the N=5000 tree is exactly the first half of the N=10000 tree
(same seed).  The tree is written to ``OUT.partial`` and renamed to OUT when complete.

Prints one summary line: files, bytes, and a breakdown.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import sys
import uuid

GENERATOR_VERSION = 2

# --------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
DELETE_ROLE = "91c1777a-f3dc-4fae-b103-61d183457e46"
LOG_ANALYTICS_CONTRIBUTOR = "92aaf0da-9dab-42b6-94a3-d43ce8d16293"  # has DataActions since 2025

# Built-in roles that are fine to delegate through Lighthouse (ids from data/builtin-roles.json).
SUPPORTED_ROLES = {
    "Reader": READER,
    "Contributor": CONTRIBUTOR,
    "Support Request Contributor": "cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e",
    "Resource Policy Contributor": "36243c78-bf99-498c-9df9-86d9f8d28608",
    "Virtual Machine Contributor": "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
    "Monitoring Contributor": "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
    "Monitoring Reader": "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
    "Security Reader": "39bc4728-0917-49c7-9d2c-d95423bc2eb4",
    "Security Admin": "fb1c8493-542b-48eb-b624-b4c8fea62acd",
    "Backup Contributor": "5e467623-bb1f-42f4-a55d-6e525e11384b",
    "Backup Reader": "a795c7a0-d4a2-40c1-ae25-d81f01202912",
    "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
    "Storage Account Contributor": "17d1049b-9a84-46fb-8f53-869881c3d3ab",
    "Cost Management Reader": "72fafb9e-0641-4937-9268-a91bfd8191a3",
    "Automation Operator": "d3881f73-407a-4167-8283-e981cbba0404",
    "Tag Contributor": "4a9ae827-6dc8-4573-8ac7-8239d42aa03f",
    "Key Vault Contributor": "f25e0fa2-a7c8-4377-a976-54943a77a395",
    "Microsoft Sentinel Contributor": "ab8e14d6-4a74-4a29-9ba8-549422addade",
    "Microsoft Sentinel Reader": "8d289c81-5878-46d4-8554-54e1e3d8b5cb",
    "Managed Identity Operator": "f1a07417-d97a-45cb-824c-7a7467783830",
}
# Roles a UAA authorization may hand out (delegatedRoleDefinitionIds / assignableRoles).
DELEGATABLE_ROLES = [
    CONTRIBUTOR,
    SUPPORTED_ROLES["Resource Policy Contributor"],
    SUPPORTED_ROLES["Monitoring Contributor"],
    SUPPORTED_ROLES["Virtual Machine Contributor"],
    SUPPORTED_ROLES["Tag Contributor"],
    SUPPORTED_ROLES["Backup Contributor"],
]
ELIGIBLE_ROLES = [
    CONTRIBUTOR,
    SUPPORTED_ROLES["Resource Policy Contributor"],
    SUPPORTED_ROLES["Security Admin"],
    SUPPORTED_ROLES["Virtual Machine Contributor"],
    SUPPORTED_ROLES["Network Contributor"],
    SUPPORTED_ROLES["Key Vault Contributor"],
]

SUB_TEMPLATE_SCHEMAS = [
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
    "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
]
SUB_PARAMS_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#"
RG_PARAMS_SCHEMA = "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#"
NESTED_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#"
OFFER_SCHEMA = "https://example.invalid/lhlint/managed-service-offer.schema.json"

API_VERSIONS = ["2019-06-01", "2019-09-01", "2022-10-01"]
ELIGIBLE_API_VERSIONS = ["2020-02-01-preview", "2022-10-01"]
DEF_TYPE = "Microsoft.ManagedServices/registrationDefinitions"
ASSIGN_TYPE = "Microsoft.ManagedServices/registrationAssignments"
DEF_RESOURCE_ID = "[resourceId('Microsoft.ManagedServices/registrationDefinitions/', variables('mspRegistrationName'))]"

COMPANIES = [
    "Contoso", "Fabrikam", "Relecloud", "Northwind Traders", "Tailspin Toys", "Woodgrove Bank",
    "Litware", "Adatum", "Proseware", "Wingtip Toys", "Fourth Coffee", "Alpine Ski House",
    "Trey Research", "Lamna Healthcare", "Coho Winery", "Humongous Insurance",
    "Wide World Importers", "Lucerne Publishing", "Bellows College", "Blue Yonder Airlines",
    "Graphic Design Institute", "Southridge Video", "VanArsdel", "Munson's Pickles",
]
CUSTOMERS = [
    "adventure-works", "best-for-you-organics", "consolidated-messenger", "datum", "first-up",
    "the-phone-company", "nod-publishers", "school-of-fine-art", "world-wide-importers",
    "margies-travel", "cpandl", "contoso-pharma", "fabrikam-residences", "tailwind-traders",
    "woodgrove-insurance", "lakeshore-retail", "northwind-health", "relecloud-gaming",
]
SERVICES = [
    "Managed Azure Operations", "Managed Services", "Cloud Operations", "Managed Security",
    "Azure Support", "Managed Infrastructure", "Landing Zone Operations", "SOC Services",
]
GROUP_NAMES = [
    "Tier 1 Support", "Tier 2 Support", "Tier 3 Escalation", "MSP Operators", "NOC Engineers",
    "Security Analysts", "Policy Automation", "Billing Readers", "Backup Operators",
    "Network Team", "DBA Team", "Cloud Architects", "PIM Approvers", "Monitoring Automation",
    "Sentinel Responders", "Delegation Removal", "Change Managers", "Patch Automation",
    "Équipe Support Niveau 1", "Betriebsteam Müller", "サポート窓口", "Служба поддержки",
]
FIRST_NAMES = ["jane", "john", "amal", "li.wei", "maria", "oskar", "priya", "tomas", "yuki", "ana"]
RG_NAMES = ["rg-prod-weu", "rg-dev-neu", "rg-shared-services", "rg-network-hub", "rg-monitoring",
            "rg-backup", "rg-sql-prod", "rg-aks-prod", "rg-identity", "rg-sentinel", "rg-app-01"]
LOCATIONS = ["westeurope", "northeurope", "eastus", "eastus2", "uksouth", "australiaeast",
             "centralus", "japaneast", "francecentral", "swedencentral"]
PLACEHOLDER_TENANTS = ["<insert managing tenant id>", "<insert the managing tenant id>",
                       "00000000-0000-0000-0000-000000000000", "<your tenant id>"]
ZERO_GUID = "00000000-0000-0000-0000-000000000000"

# Rates of the file-level encoding variations (per file).
P_COMMENTS = 0.025
P_BOM = 0.02
P_CRLF = 0.06


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

def new_guid(rng: random.Random) -> str:
    """A random (version 4 shaped) GUID drawn from ``rng``, lower case."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def slug(text: str) -> str:
    """Lower-case ASCII slug for file names and ids."""
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-") or "x"


def weighted(rng: random.Random, table: list[tuple[str, float]]) -> str:
    """Pick a key from ``[(key, weight), ...]``."""
    total = sum(w for _, w in table)
    x = rng.random() * total
    for key, w in table:
        x -= w
        if x < 0:
            return key
    return table[-1][0]


def auth_count(rng: random.Random) -> int:
    """Number of authorizations in a template: 1..40, mostly small."""
    r = rng.random()
    if r < 0.70:
        return rng.randint(1, 8)
    if r < 0.95:
        return rng.randint(9, 20)
    return rng.randint(21, 40)


def upn(rng: random.Random, company: str) -> str:
    """A user principal name, used as a (bad) display name."""
    return f"{rng.choice(FIRST_NAMES)}@{slug(company).replace('-', '')}.com"


def param_decl(kind: str, description: str, **extra) -> dict:
    """A template parameter declaration with a metadata description."""
    decl = {"type": kind, "metadata": {"description": description}}
    decl.update(extra)
    return decl


# --------------------------------------------------------------------------------------
# Rendering (formatting variations: indent, comments, BOM, CRLF)
# --------------------------------------------------------------------------------------

COMMENT_TEXTS = [
    "managed by the platform team, do not edit by hand",
    "TODO: review before the next onboarding wave",
    "values below come from the MSP's Entra ID groups",
    "see https://learn.microsoft.com/azure/lighthouse/how-to/onboard-customer",
    "keep the delete role so the MSP can remove the delegation",
    "ticket OPS-4711",
    "ne pas modifier — généré",
]


def add_comments(text: str, rng: random.Random) -> str:
    """Insert ``//`` and ``/* */`` comments into pretty-printed JSON, keeping it valid JSONC.

    ``json.dumps(indent=...)`` never puts a newline inside a string, so a comment line
    between two lines, a trailing ``// ...`` at a line end, and a ``/* ... */`` before the
    first token of a line are all safe.
    """
    lines = text.split("\n")
    out = [lines[0]]
    header = rng.random() < 0.6
    if header:
        out.append("    /*")
        out.append(f"     * {rng.choice(COMMENT_TEXTS)}")
        out.append("     */")
    p_line = max(0.01, 6.0 / max(len(lines), 1))
    for line in lines[1:]:
        indent = line[: len(line) - len(line.lstrip(" "))]
        r = rng.random()
        if r < p_line:
            out.append(f"{indent}// {rng.choice(COMMENT_TEXTS)}")
            out.append(line)
        elif r < p_line * 1.5 and line.strip():
            out.append(f"{line} // {rng.choice(COMMENT_TEXTS)}")
        elif r < p_line * 1.8 and line.strip():
            out.append(f"{indent}/* {rng.choice(COMMENT_TEXTS)} */ {line.lstrip(' ')}")
        else:
            out.append(line)
    if len(out) == len(lines) + (3 if header else 0):
        # nothing was inserted in the body: make sure the file has at least one comment
        out.insert(1, "    // generated for the lhlint benchmark")
    return "\n".join(out)


def render(obj, rng: random.Random, *, allow_comments: bool = True) -> tuple[bytes, dict]:
    """Serialize ``obj`` the way real files look; returns (bytes, flags)."""
    indent = 4 if rng.random() < 0.75 else 2
    text = json.dumps(obj, indent=indent, ensure_ascii=False) + "\n"
    flags = {"comments": False, "bom": False, "crlf": False}
    if allow_comments and rng.random() < P_COMMENTS:
        text = add_comments(text, rng)
        flags["comments"] = True
    if rng.random() < P_CRLF:
        text = text.replace("\n", "\r\n")
        flags["crlf"] = True
    data = text.encode("utf-8")
    if rng.random() < P_BOM:
        data = b"\xef\xbb\xbf" + data
        flags["bom"] = True
    return data, flags


# --------------------------------------------------------------------------------------
# Providers, authorizations, offers
# --------------------------------------------------------------------------------------

def make_provider(seed: int, block: int) -> dict:
    """The managing tenant behind one block of 50 pairs and its offer manifest.

    It owns a set of groups and a standard set of grants (group, role) that its templates
    and its offer's plans mostly draw from, so template/offer cross-checks find few mismatches.
    """
    rng = random.Random(f"{seed}:provider:{block}")
    company = rng.choice(COMPANIES)
    offer_name = f"{company} {rng.choice(SERVICES)}"
    if rng.random() < 0.5:
        offer_name += f" {block:03d}"
    groups = []
    used = set()
    for _ in range(rng.randint(4, 16)):
        name = rng.choice(GROUP_NAMES)
        if name in used:
            name = f"{name} {len(used)}"
        used.add(name)
        groups.append({"principalId": new_guid(rng), "principalIdDisplayName": name})
    grants = [{"group": rng.choice(groups), "role": DELETE_ROLE}]
    if rng.random() < 0.5:
        grants.append({"group": rng.choice(groups), "role": UAA,
                       "delegated": rng.sample(DELEGATABLE_ROLES, rng.randint(1, 3))})
    seen = {(g["group"]["principalId"], g["role"]) for g in grants}
    role_names = list(SUPPORTED_ROLES)
    for _ in range(rng.randint(4, 24)):
        r = rng.random()
        role = READER if r < 0.4 else CONTRIBUTOR if r < 0.6 else SUPPORTED_ROLES[rng.choice(role_names)]
        group = rng.choice(groups)
        if (group["principalId"], role) not in seen:
            seen.add((group["principalId"], role))
            grants.append({"group": group, "role": role})
    return {
        "block": block,
        "company": company,
        "offer_name": offer_name,
        "tenant": new_guid(rng),
        "groups": groups,
        "grants": grants,
        "publisher_id": slug(company).replace("-", ""),
        "partner_id": str(rng.randint(1000000, 6999999)),
    }


def make_authorizations(rng: random.Random, provider: dict, n: int, defects: set) -> list[dict]:
    """A realistic authorization list of ``n`` entries, then the pair's defects applied.

    Most entries come from the provider's standard grants; when ``n`` exceeds them, or for
    about one template in seven, extra (group, role) combinations are added.
    """
    key_order = rng.choice([
        ["principalId", "roleDefinitionId", "principalIdDisplayName"],
        ["principalId", "principalIdDisplayName", "roleDefinitionId"],
        ["principalIdDisplayName", "principalId", "roleDefinitionId"],
    ])

    def item(group: dict, role: str, delegated: list[str] | None = None) -> dict:
        fields = {"principalId": group["principalId"], "roleDefinitionId": role,
                  "principalIdDisplayName": group["principalIdDisplayName"]}
        d = {k: fields[k] for k in key_order}
        if rng.random() < 0.04:
            del d["principalIdDisplayName"]
        if role == UAA and "uaa-no-delegated" not in defects:
            d["delegatedRoleDefinitionIds"] = list(delegated or rng.sample(DELEGATABLE_ROLES, 1))
            if "data-action-delegated" in defects:
                d["delegatedRoleDefinitionIds"].append(LOG_ANALYTICS_CONTRIBUTOR)
        return d

    grants = provider["grants"]
    chosen = [grants[0]] if "missing-delete-role" not in defects else []
    rest = grants[1:]
    chosen += rng.sample(rest, min(len(rest), max(0, n - len(chosen))))
    seen = {(g["group"]["principalId"], g["role"]) for g in chosen}
    extras = max(0, n - len(chosen)) + (rng.randint(1, 3) if rng.random() < 0.15 else 0)
    role_names = list(SUPPORTED_ROLES)
    for _ in range(extras * 3):
        if extras == 0:
            break
        role = CONTRIBUTOR if rng.random() < 0.3 else SUPPORTED_ROLES[rng.choice(role_names)]
        group = rng.choice(provider["groups"])
        if (group["principalId"], role) not in seen:
            seen.add((group["principalId"], role))
            chosen.append({"group": group, "role": role})
            extras -= 1
    if not chosen:
        chosen = [rest[0] if rest else grants[0]]
    auths = [item(g["group"], g["role"], g.get("delegated")) for g in chosen]
    rng.shuffle(auths)
    if "owner" in defects:
        auths[rng.randrange(len(auths))]["roleDefinitionId"] = OWNER
    if "upn-display-name" in defects:
        for a in rng.sample(auths, max(1, len(auths) // 3)):
            a["principalIdDisplayName"] = upn(rng, provider["company"])
    if "zero-principal" in defects:
        auths[rng.randrange(len(auths))]["principalId"] = ZERO_GUID
    if "uppercase-guid" in defects:
        a = auths[rng.randrange(len(auths))]
        a["principalId"] = a["principalId"].upper()
    return auths


def make_eligible(rng: random.Random, provider: dict, defects: set) -> list[dict]:
    """1..6 eligible (JIT) authorizations, some with managing-tenant approvers."""
    out = []
    for _ in range(rng.randint(1, 6)):
        g = rng.choice(provider["groups"])
        duration = rng.choice(["PT30M", "PT1H", "PT2H", "PT4H", "PT8H", "PT8H", "PT8H"])
        if "jit-duration" in defects and not out:
            duration = rng.choice(["PT12H", "PT15M", "P1D"])
        policy = {"multiFactorAuthProvider": rng.choice(["Azure", "Azure", "Azure", "None"]),
                  "maximumActivationDuration": duration}
        if rng.random() < 0.5:
            approvers = []
            for a in rng.sample(provider["groups"], min(len(provider["groups"]), rng.randint(1, 3))):
                approvers.append({"principalId": a["principalId"],
                                  "principalIdDisplayName": a["principalIdDisplayName"]})
            policy["managedByTenantApprovers"] = approvers
        item = {"justInTimeAccessPolicy": policy} if rng.random() < 0.5 else {}
        item.update({"principalId": g["principalId"],
                     "principalIdDisplayName": g["principalIdDisplayName"],
                     "roleDefinitionId": rng.choice(ELIGIBLE_ROLES)})
        if "justInTimeAccessPolicy" not in item:
            item["justInTimeAccessPolicy"] = policy
        out.append(item)
    return out


def make_offer(seed: int, provider: dict) -> dict:
    """A Managed Service offer manifest (shared/spec/offer-manifest.md) for ``provider``."""
    rng = random.Random(f"{seed}:offer:{provider['block']}")
    cred_kind = weighted(rng, [("current", 0.78), ("legacy", 0.15), ("none", 0.05), ("both", 0.02)])
    creds = []
    if cred_kind in ("current", "both"):
        creds.append({"type": "solutionsPartnerDesignation",
                      "area": rng.choice(["Infrastructure (Azure)", "Security"])})
    if cred_kind in ("legacy", "both"):
        creds.append({"type": "competency", "name": "Cloud Platform",
                      "level": rng.choice(["Gold", "Silver"])})
        if rng.random() < 0.3:
            creds.append({"type": "azureExpertMsp"})
    publisher = {"publisherId": provider["publisher_id"], "partnerId": provider["partner_id"]}
    if cred_kind != "none":
        publisher["credentials"] = creds
    name = provider["offer_name"]
    offer = {
        "id": slug(name)[:50],
        "name": name,
        "publisher": publisher,
        "listing": {
            "summary": f"{name}: 24x7 operations for your Azure estate",
            "description": " ".join([f"{provider['company']} operates, secures and optimises "
                                     "customer subscriptions under Azure Lighthouse."] * rng.randint(1, 4)),
            "privacyPolicyUrl": f"https://www.{provider['publisher_id']}.com/privacy",
        },
    }
    plans = []
    for p in range(rng.randint(1, 4)):
        visibility = "public" if rng.random() < 0.6 else "private"
        plan_name = rng.choice(["Gold tier", "Silver tier", "Bronze tier", "Security only",
                                "Monitoring", "Full management", "Backup and DR"])
        plan_id = slug(plan_name) + f"-{p}"
        if rng.random() < 0.04:
            plan_id = plan_id.upper()  # defect: MS004
        plan = {"id": plan_id, "name": plan_name, "visibility": visibility, "audience": []}
        if visibility == "private":
            plan["audience"] = [new_guid(rng) for _ in range(rng.randint(1, 10))]
        plan["pricing"] = "byol" if rng.random() > 0.02 else "monthly"
        n_auth = rng.randint(2, 20) if rng.random() > 0.04 else rng.randint(21, 25)
        n_active = min(len(provider["grants"]), max(1, n_auth - rng.randint(0, 3)))
        picks = [(g["group"], g["role"], g.get("delegated"), False)
                 for g in [provider["grants"][0]] + rng.sample(provider["grants"][1:], n_active - 1)]
        while len(picks) < n_auth:
            picks.append((rng.choice(provider["groups"]), rng.choice(ELIGIBLE_ROLES), None, True))
        auths = []
        for g, role, delegated, eligible in picks:
            a = {"principalId": g["principalId"],
                 "principalIdDisplayName": g["principalIdDisplayName"]}
            if rng.random() < 0.5:
                a["principalType"] = rng.choice(["group", "group", "user", "servicePrincipal"])
            a["accessType"] = "eligible" if eligible else "active"
            a["roleDefinitionId"] = role
            if role == UAA:
                a["assignableRoles"] = list(delegated or rng.sample(DELEGATABLE_ROLES, 1))
            if eligible:
                a["justInTimeAccessPolicy"] = {
                    "multiFactorAuthProvider": "Azure",
                    "maximumActivationDuration": rng.choice(["PT1H", "PT4H", "PT8H"]),
                    "managedByTenantApprovers": [
                        {"principalId": x["principalId"], "principalIdDisplayName": x["principalIdDisplayName"]}
                        for x in rng.sample(provider["groups"], 1)],
                }
            auths.append(a)
        version = f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}"
        plan["manifest"] = {"version": version, "tenantId": provider["tenant"], "authorizations": auths}
        plans.append(plan)
    doc = {}
    if rng.random() < 0.5:
        doc["$schema"] = OFFER_SCHEMA
    doc["offer"] = offer
    doc["plans"] = plans
    return doc


# --------------------------------------------------------------------------------------
# Onboarding templates and parameters files
# --------------------------------------------------------------------------------------

VARIANTS = [
    ("subscription", 0.42),
    ("subscription-eligible", 0.20),
    ("rg", 0.14),
    ("multi-rg", 0.10),
    ("rg-eligible", 0.06),
    ("marketplace", 0.04),
    ("inline", 0.04),  # authorizations as defaultValue in the template
]

DEFECTS = [
    ("placeholder-tenant", 0.03),
    ("missing-delete-role", 0.12),
    ("upn-display-name", 0.04),
    ("owner", 0.02),
    ("zero-principal", 0.02),
    ("uppercase-guid", 0.02),
    ("data-action-delegated", 0.03),
    ("uaa-no-delegated", 0.01),
    ("jit-duration", 0.03),
    ("tenant-mismatch", 0.02),
    ("offer-name-differs", 0.25),  # not a defect: another offer name than the manifest's
]


def definition_resource(api: str, name: str, eligible: bool, plan: bool) -> dict:
    """The registrationDefinitions resource, as in the samples."""
    res = {"type": DEF_TYPE, "apiVersion": api, "name": name}
    if plan:
        res["plan"] = "[variables('plan')]"
    props = {
        "registrationDefinitionName": "[parameters('mspOfferName')]",
        "description": "[parameters('mspOfferDescription')]",
        "managedByTenantId": "[parameters('managedByTenantId')]",
        "authorizations": "[parameters('authorizations')]",
    }
    if eligible:
        props["eligibleAuthorizations"] = "[parameters('eligibleAuthorizations')]"
    res["properties"] = props
    return res


def assignment_resource(api: str, name: str, def_id: str, depends: bool) -> dict:
    """The registrationAssignments resource."""
    res = {"type": ASSIGN_TYPE, "apiVersion": api, "name": name}
    if depends:
        res["dependsOn"] = [def_id]
    res["properties"] = {"registrationDefinitionId": def_id}
    return res


def nested_deployment(name: str, rg_expr: str, inner: dict, def_id: str, copy: dict | None) -> dict:
    """A Microsoft.Resources/deployments resource holding the assignment (RG onboarding)."""
    res = {"type": "Microsoft.Resources/deployments", "apiVersion": "2018-05-01",
           "name": name, "resourceGroup": rg_expr}
    if copy:
        res["copy"] = copy
    res["dependsOn"] = [def_id]
    res["properties"] = {"mode": "Incremental", "template": {
        "$schema": NESTED_TEMPLATE_SCHEMA, "contentVersion": "1.0.0.0",
        "parameters": {}, "resources": [inner]}}
    return res


def make_template(rng: random.Random, variant: str, inline_auths: list | None) -> dict:
    """An onboarding template of the given variant."""
    eligible = variant.endswith("eligible")
    api = rng.choice(ELIGIBLE_API_VERSIONS if eligible else API_VERSIONS)
    params = {
        "mspOfferName": param_decl("string", "Specify a unique name for your offer"),
        "mspOfferDescription": param_decl("string", "Name of the Managed Service Provider offering"),
        "managedByTenantId": param_decl("string", "Specify the tenant id of the Managed Service Provider"),
        "authorizations": param_decl(
            "array", "Specify an array of objects, containing tuples of Azure Active Directory principalId, "
            "a Azure roleDefinitionId, and an optional principalIdDisplayName. The roleDefinition specified "
            "is granted to the principalId in the provider's Active Directory and the principalIdDisplayName "
            "is visible to customers."),
    }
    if inline_auths is not None:
        params["authorizations"]["defaultValue"] = inline_auths
    if eligible:
        params["eligibleAuthorizations"] = param_decl(
            "array", "Provide the authorizations that will have just-in-time role assignments on customer "
            "environments with support for approvals from the managing tenant")
    variables = {
        "mspRegistrationName": "[guid(parameters('mspOfferName'))]",
        "mspAssignmentName": "[guid(parameters('mspOfferName'))]",
    }
    resources = []
    if variant in ("subscription", "subscription-eligible", "inline", "marketplace"):
        plan = variant == "marketplace"
        if plan:
            for p, d in [("planName", "Plan ID of the Marketplace offer"),
                         ("planPublisher", "Publisher ID of the Marketplace offer"),
                         ("planProductId", "Offer ID of the Marketplace offer"),
                         ("planVersion", "Version of the plan")]:
                params[p] = param_decl("string", d)
            variables["plan"] = {"name": "[parameters('planName')]",
                                 "publisher": "[parameters('planPublisher')]",
                                 "product": "[parameters('planProductId')]",
                                 "version": "[parameters('planVersion')]"}
        resources.append(definition_resource(api, "[variables('mspRegistrationName')]", eligible, plan))
        resources.append(assignment_resource(api, "[variables('mspAssignmentName')]", DEF_RESOURCE_ID, True))
    elif variant in ("rg", "rg-eligible"):
        params["rgName"] = param_decl("string", "Specify the name of the resource group to delegate")
        resources.append(definition_resource(api, "[variables('mspRegistrationName')]", eligible, False))
        inner = assignment_resource(api, "[variables('mspAssignmentName')]", DEF_RESOURCE_ID, False)
        resources.append(nested_deployment("rgAssignment", "[parameters('rgName')]", inner, DEF_RESOURCE_ID, None))
    elif variant == "multi-rg":
        params["resourceGroups"] = param_decl(
            "array", "The list of resource groups to delegate. Note: resource groups must already exist in tenant")
        copy = {"name": "deploymentCopy", "count": "[length(parameters('resourceGroups'))]"}
        rg_expr = "[parameters('resourceGroups')[copyIndex()].rgName]"
        if rng.random() < 0.4:
            # the original sample: one definition per RG, named from the RG name
            rg_guid = "guid(parameters('resourceGroups')[copyIndex()].rgName)"
            def_id = f"[resourceId('Microsoft.ManagedServices/registrationDefinitions/', {rg_guid})]"
            d = definition_resource(api, f"[{rg_guid}]", False, False)
            d["copy"] = dict(copy)
            resources.append(d)
            inner = assignment_resource(api, f"[{rg_guid}]", def_id, False)
            del variables["mspRegistrationName"], variables["mspAssignmentName"]
        else:
            def_id = DEF_RESOURCE_ID
            resources.append(definition_resource(api, "[variables('mspRegistrationName')]", False, False))
            inner = assignment_resource(
                api, "[guid(parameters('mspOfferName'), parameters('resourceGroups')[copyIndex()].rgName)]",
                def_id, False)
        resources.append(nested_deployment("[concat('rgAssignment', copyIndex())]", rg_expr, inner, def_id, copy))
    else:
        raise ValueError(variant)

    outputs = {
        "mspOfferName": {"type": "string", "value": "[concat('Managed by', ' ', parameters('mspOfferName'))]"},
        "authorizations": {"type": "array", "value": "[parameters('authorizations')]"},
    }
    if eligible:
        outputs["eligibleAuthorizations"] = {"type": "array", "value": "[parameters('eligibleAuthorizations')]"}
    doc = {"$schema": rng.choice(SUB_TEMPLATE_SCHEMAS), "contentVersion": "1.0.0.0", "parameters": params}
    if variables:
        doc["variables"] = variables
    doc["resources"] = resources
    doc["outputs"] = outputs
    return doc


def make_pair(seed: int, index: int, provider: dict) -> tuple[str, dict, dict, set]:
    """Template and parameters documents for pair ``index``; returns (base name, tpl, params, defects)."""
    rng = random.Random(f"{seed}:pair:{index}")
    variant = weighted(rng, VARIANTS)
    defects = {d for d, p in DEFECTS if rng.random() < p}
    eligible = variant.endswith("eligible")
    customer = f"{rng.choice(CUSTOMERS)}-{index:05d}"
    base = f"{customer}-{variant}"

    auths = make_authorizations(rng, provider, auth_count(rng), defects)
    tenant = provider["tenant"]
    if "tenant-mismatch" in defects:
        tenant = new_guid(rng)
    if "placeholder-tenant" in defects:
        tenant = rng.choice(PLACEHOLDER_TENANTS)
    offer_name = provider["offer_name"]
    if "offer-name-differs" in defects:
        offer_name = f"{provider['company']} {rng.choice(SERVICES)} for {customer}"

    template = make_template(rng, variant, auths if variant == "inline" else None)

    values = {
        "mspOfferName": {"value": offer_name},
        "mspOfferDescription": {"value": f"{offer_name}: operations and support for {customer}"},
        "managedByTenantId": {"value": tenant},
    }
    if variant != "inline":
        values["authorizations"] = {"value": auths}
    if eligible:
        values["eligibleAuthorizations"] = {"value": make_eligible(rng, provider, defects)}
    if variant in ("rg", "rg-eligible"):
        values["rgName"] = {"value": rng.choice(RG_NAMES)}
    elif variant == "multi-rg":
        values["resourceGroups"] = {"value": [{"rgName": r} for r in rng.sample(RG_NAMES, rng.randint(2, 6))]}
    elif variant == "marketplace":
        values["planName"] = {"value": "gold-tier-0"}
        values["planPublisher"] = {"value": provider["publisher_id"]}
        values["planProductId"] = {"value": slug(provider["offer_name"])[:50]}
        values["planVersion"] = {"value": "1.0.0"}
    schema = RG_PARAMS_SCHEMA if variant in ("rg", "multi-rg") and rng.random() < 0.7 else SUB_PARAMS_SCHEMA
    params = {"$schema": schema, "contentVersion": "1.0.0.0", "parameters": values}
    return base, template, params, defects


# --------------------------------------------------------------------------------------
# Large templates
# --------------------------------------------------------------------------------------

KQL_LINES = [
    "Heartbeat | summarize LastCall = max(TimeGenerated) by Computer, _ResourceId",
    "| where LastCall < ago(10m)",
    "Perf | where ObjectName == 'Processor' and CounterName == '% Processor Time'",
    "| summarize AggregatedValue = avg(CounterValue) by bin(TimeGenerated, 5m), Computer",
    "AzureActivity | where OperationNameValue endswith 'DELETE' and ActivityStatusValue == 'Success'",
    "| project TimeGenerated, Caller, ResourceGroup, _ResourceId, OperationNameValue",
    "SecurityEvent | where EventID in (4625, 4740) | summarize count() by Account, Computer",
    "| extend Severity = iff(count_ > 50, 'High', 'Medium')",
]


def large_policy_rule(rng: random.Random, depth: int) -> dict:
    """A deeply nested policy rule condition (allOf/anyOf/not).

    A policy rule's own expressions are escaped (``[[``) so that the deployment
    leaves them to Azure Policy, as real templates do."""
    if depth <= 0:
        return {"field": rng.choice(["type", "location", "tags['env']", "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly",
                                     "Microsoft.Compute/virtualMachines/storageProfile.osDisk.osType"]),
                rng.choice(["equals", "notEquals", "like", "in"]): rng.choice(
                    ["Microsoft.Compute/virtualMachines", "[[parameters('allowedLocations')]", "prod", "Windows", "*-legacy"])}
    op = rng.choice(["allOf", "anyOf", "not"])
    if op == "not":
        return {"not": large_policy_rule(rng, depth - 1)}
    return {op: [large_policy_rule(rng, depth - 1 - (k % 2)) for k in range(rng.randint(2, 3))]}


def large_resource(rng: random.Random, k: int, depth: int = 0) -> dict:
    """One resource of a large template; nested deployments recurse (deep nesting)."""
    kind = weighted(rng, [("workspace", 2), ("alert", 5), ("actionGroup", 2), ("policy", 3),
                          ("workbook", 0.4), ("roleAssignment", 3), ("deployment", 1.5 if depth < 5 else 0)])
    loc = "[parameters('location')]"
    if kind == "workspace":
        return {"type": "Microsoft.OperationalInsights/workspaces", "apiVersion": "2022-10-01",
                "name": f"[concat(parameters('workspacePrefix'), '-{k}')]", "location": loc,
                "tags": "[variables('commonTags')]",
                "properties": {"sku": {"name": "PerGB2018"}, "retentionInDays": rng.choice([30, 90, 365]),
                               "features": {"enableLogAccessUsingOnlyResourcePermissions": True},
                               "workspaceCapping": {"dailyQuotaGb": -1}}}
    if kind == "alert":
        query = "\n".join(rng.choice(KQL_LINES) for _ in range(rng.randint(2, 8)))
        return {"type": "Microsoft.Insights/scheduledQueryRules", "apiVersion": "2023-03-15-preview",
                "name": f"[concat('alert-', variables('alertNames')[{k % 50}], '-{k}')]", "location": loc,
                "dependsOn": ["[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspacePrefix'))]"],
                "properties": {"displayName": f"Alert {k}", "severity": rng.randint(0, 4), "enabled": True,
                               "evaluationFrequency": "PT5M", "windowSize": "PT15M",
                               "scopes": ["[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspacePrefix'))]"],
                               "criteria": {"allOf": [{"query": query, "timeAggregation": "Count",
                                                       "dimensions": [{"name": "Computer", "operator": "Include", "values": ["*"]}],
                                                       "operator": "GreaterThan", "threshold": rng.randint(0, 100),
                                                       "failingPeriods": {"numberOfEvaluationPeriods": 1, "minFailingPeriodsToAlert": 1}}]},
                               "actions": {"actionGroups": ["[variables('actionGroupId')]"]}}}
    if kind == "actionGroup":
        return {"type": "Microsoft.Insights/actionGroups", "apiVersion": "2023-01-01",
                "name": f"ag-{k}", "location": "Global",
                "properties": {"groupShortName": f"ag{k % 1000}", "enabled": True,
                               "emailReceivers": [{"name": f"ops{j}", "emailAddress": f"ops{j}@example.com",
                                                   "useCommonAlertSchema": True} for j in range(rng.randint(1, 12))],
                               "webhookReceivers": [{"name": "itsm", "serviceUri": "https://itsm.example.com/hook",
                                                     "useCommonAlertSchema": True}]}}
    if kind == "policy":
        return {"type": "Microsoft.Authorization/policyDefinitions", "apiVersion": "2021-06-01",
                "name": f"policy-{k}",
                "properties": {"policyType": "Custom", "mode": "All", "displayName": f"Custom policy {k}",
                               "metadata": {"category": rng.choice(["Security", "Monitoring", "Tags"])},
                               "parameters": {"allowedLocations": {"type": "Array", "defaultValue": LOCATIONS}},
                               "policyRule": {"if": large_policy_rule(rng, rng.randint(4, 9)),
                                              "then": {"effect": rng.choice(["audit", "deny", "deployIfNotExists"])}}}}
    if kind == "workbook":
        panels = [{"type": 3, "content": {"version": "KqlItem/1.0", "query": "\n".join(rng.choice(KQL_LINES) for _ in range(6)),
                                          "size": 0, "title": f"Panel {j}", "queryType": 0, "resourceType": "microsoft.operationalinsights/workspaces"},
                   "name": f"query - {j}"} for j in range(rng.randint(10, 80))]
        serialized = json.dumps({"version": "Notebook/1.0", "items": panels, "isLocked": False})
        return {"type": "Microsoft.Insights/workbooks", "apiVersion": "2022-04-01",
                "name": f"[guid('workbook-{k}', subscription().id)]", "location": loc, "kind": "shared",
                "properties": {"displayName": f"Operations workbook {k}", "serializedData": serialized,
                               "version": "1.0", "sourceId": "Azure Monitor", "category": "workbook"}}
    if kind == "roleAssignment":
        return {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
                "name": f"[guid(subscription().id, 'ra-{k}')]",
                "properties": {"roleDefinitionId": f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{rng.choice(list(SUPPORTED_ROLES.values()))}')]",
                               "principalId": new_guid(rng), "principalType": "ServicePrincipal"}}
    # nested deployment with its own inner template
    inner = [large_resource(rng, k * 10 + j, depth + 1) for j in range(rng.randint(1, 4))]
    return {"type": "Microsoft.Resources/deployments", "apiVersion": "2021-04-01",
            "name": f"nested-{depth}-{k}", "resourceGroup": f"[parameters('resourceGroups')[{k % 4}].rgName]",
            # Outer scope: the inner resources use the template's own parameters and variables.
            "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "outer"},
                           "template": {"$schema": NESTED_TEMPLATE_SCHEMA, "contentVersion": "1.0.0.0",
                                        "resources": inner}}}


def make_large_pair(seed: int, k: int, min_bytes: int, max_bytes: int) -> tuple[str, bytes, bytes, dict]:
    """A large template (between min_bytes and max_bytes once rendered) and its parameters file."""
    rng = random.Random(f"{seed}:large:{k}")
    provider = make_provider(seed, 100000 + k)
    target = int(math.exp(rng.uniform(math.log(min_bytes * 1.1), math.log(max_bytes * 0.9))))
    defects = {d for d, p in DEFECTS if rng.random() < p}
    auths = make_authorizations(rng, provider, rng.randint(100, 400), defects)
    template = make_template(rng, "subscription-eligible", None)
    template["parameters"]["authorizations"]["defaultValue"] = auths
    for name, decl in [("location", param_decl("string", "Location of the monitoring resources", defaultValue="westeurope")),
                       ("workspacePrefix", param_decl("string", "Prefix of the workspace names", defaultValue="law-msp")),
                       ("resourceGroups", param_decl("array", "Resource groups that hold the monitoring resources"))]:
        template["parameters"][name] = decl
    template["variables"].update({
        "commonTags": {"managedBy": provider["company"], "costCenter": str(rng.randint(1000, 9999)),
                       "environment": "production"},
        "actionGroupId": "[resourceId('Microsoft.Insights/actionGroups', 'ag-0')]",
        "alertNames": [f"{slug(rng.choice(GROUP_NAMES))}-{j}" for j in range(50)],
        "alertDefinitions": [{"name": f"def-{j}", "severity": rng.randint(0, 4),
                              "query": "\n".join(rng.choice(KQL_LINES) for _ in range(rng.randint(2, 6))),
                              "thresholds": {"warning": rng.randint(1, 50), "critical": rng.randint(51, 100)},
                              "locations": rng.sample(LOCATIONS, 3)} for j in range(rng.randint(30, 150))],
        "tagsByEnvironment": {env: {f"tag{j}": f"value-{env}-{j}" for j in range(rng.randint(10, 40))}
                              for env in ["dev", "test", "acc", "prod", "dr"]},
    })
    # estimate the rendered size of each added resource (extra indentation: 2 levels of 4)
    base_size = len(json.dumps(template, indent=4, ensure_ascii=False))
    size = base_size
    k_res = 0
    while size < target:
        res = large_resource(rng, k_res)
        text = json.dumps(res, indent=4, ensure_ascii=False)
        size += len(text) + 8 * text.count("\n") + 16
        template["resources"].append(res)
        k_res += 1
    # render, then trim or grow until the file is inside the bounds
    while True:
        data, flags = render(template, rng, allow_comments=False)
        if len(data) > max_bytes and len(template["resources"]) > 2:
            template["resources"].pop()
            continue
        if len(data) < min_bytes:
            template["resources"].append(large_resource(rng, k_res))
            k_res += 1
            continue
        break
    values = {"mspOfferName": {"value": provider["offer_name"]},
              "mspOfferDescription": {"value": f"{provider['offer_name']} (large estate)"},
              "managedByTenantId": {"value": provider["tenant"]},
              "eligibleAuthorizations": {"value": make_eligible(rng, provider, defects)},
              "resourceGroups": {"value": [{"rgName": r} for r in rng.sample(RG_NAMES, 4)]}}
    params = {"$schema": SUB_PARAMS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": values}
    pdata, pflags = render(params, rng)
    base = f"{slug(provider['company'])}-estate-{k:04d}"
    return base, data, pdata, {"template": flags, "params": pflags, "defects": sorted(defects)}


# --------------------------------------------------------------------------------------
# Tree writing
# --------------------------------------------------------------------------------------

def leaf_dir(slot: int, per_dir_pairs: int, prefix: str) -> str:
    """Relative folder of a pair slot: ``<prefix>-NNN/batch-NNNN`` (ten leaves per parent)."""
    leaf = slot // per_dir_pairs
    return os.path.join(f"{prefix}-{leaf // 10:03d}", f"batch-{leaf:04d}")


class TreeWriter:
    """Writes files under a temporary directory and keeps counts."""

    def __init__(self, root: str):
        self.root = root
        self.files = 0
        self.bytes = 0
        self.kinds: dict[str, int] = {}
        self.dirs: set[str] = set()

    def write(self, rel: str, data: bytes, kind: str) -> None:
        """Write one file; ``kind`` is counted in the summary."""
        path = os.path.join(self.root, rel)
        d = os.path.dirname(path)
        if d not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(d)
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def count(self, kind: str, n: int = 1) -> None:
        """Count a property (comments, BOM, CRLF, defects) for the summary."""
        self.kinds[kind] = self.kinds.get(kind, 0) + n


def count_flags(w: TreeWriter, flags: dict) -> None:
    """Add the rendering flags of one file to the summary counts."""
    for key in ("comments", "bom", "crlf"):
        if flags[key]:
            w.count(key)


def generate_pairs(w: TreeWriter, seed: int, pairs: int, per_dir: int) -> None:
    """Write ``pairs`` template/parameters pairs and one offer manifest per 50 pairs."""
    per_dir_pairs = max(1, per_dir // 2)
    providers: dict[int, dict] = {}
    for i in range(pairs):
        block = i // 50
        if block not in providers:
            providers = {block: make_provider(seed, block)}
            offer = make_offer(seed, providers[block])
            data, flags = render(offer, random.Random(f"{seed}:offer-render:{block}"))
            rel = os.path.join(leaf_dir(i, per_dir_pairs, "tenants"), f"{slug(providers[block]['offer_name'])}.offer.json")
            w.write(rel, data, "offers")
            count_flags(w, flags)
        base, template, params, defects = make_pair(seed, i, providers[block])
        rrng = random.Random(f"{seed}:render:{i}")
        folder = leaf_dir(i, per_dir_pairs, "tenants")
        tdata, tflags = render(template, rrng)
        pdata, pflags = render(params, rrng)
        w.write(os.path.join(folder, f"{base}.json"), tdata, "templates")
        w.write(os.path.join(folder, f"{base}.parameters.json"), pdata, "parameters")
        count_flags(w, tflags)
        count_flags(w, pflags)
        if defects - {"offer-name-differs"}:
            w.count("pairs-with-defects")


def generate_large(w: TreeWriter, seed: int, n: int, per_dir: int, min_bytes: int, max_bytes: int) -> None:
    """Write ``n`` large templates, each with its parameters file."""
    per_dir_pairs = max(1, per_dir // 2)
    for k in range(n):
        base, tdata, pdata, info = make_large_pair(seed, k, min_bytes, max_bytes)
        folder = leaf_dir(k, per_dir_pairs, "estates")
        w.write(os.path.join(folder, f"{base}.json"), tdata, "templates")
        w.write(os.path.join(folder, f"{base}.parameters.json"), pdata, "parameters")
        count_flags(w, info["template"])
        count_flags(w, info["params"])


def generator_digest() -> str:
    """sha256 of this script: a corpus is stale when the generator that made it has changed."""
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output directory (must not exist, unless --force)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--pairs", type=int, default=1000, help="number of template+parameters pairs (default 1000)")
    p.add_argument("--large", action="store_true", help="write large templates instead of pairs")
    p.add_argument("--large-files", type=int, default=40, help="number of large templates in --large mode (default 40)")
    p.add_argument("--large-min-kib", type=int, default=200, help="smallest large template, KiB (default 200)")
    p.add_argument("--large-max-kib", type=int, default=2048, help="largest large template, KiB (default 2048)")
    p.add_argument("--per-dir", type=int, default=100, help="files per leaf folder (default 100)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.add_argument("--meta", help="also write a JSON description of the run (parameters, counts) to this file")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    """Generate the corpus into ``--out`` and print the summary line."""
    args = parse_args(argv)
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        if not args.force:
            print(f"gen_corpus: {out} exists (use --force to replace it)", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    tmp = out + ".partial"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    w = TreeWriter(tmp)
    if args.large:
        generate_large(w, args.seed, args.large_files, args.per_dir,
                       args.large_min_kib * 1024, args.large_max_kib * 1024)
    else:
        generate_pairs(w, args.seed, args.pairs, args.per_dir)
    os.makedirs(tmp, exist_ok=True)
    os.replace(tmp, out)
    mode = "large" if args.large else "pairs"
    detail = ", ".join(f"{k}={v}" for k, v in sorted(w.kinds.items()))
    print(f"gen_corpus: mode={mode} seed={args.seed} files={w.files} bytes={w.bytes} "
          f"({w.bytes / 1e6:.1f} MB) dirs={len(w.dirs)} [{detail}] -> {out}")
    if args.meta:
        meta = {"generator_version": GENERATOR_VERSION, "generator_sha256": generator_digest(),
                "mode": mode, "seed": args.seed,
                "pairs": None if args.large else args.pairs,
                "large_files": args.large_files if args.large else None,
                "large_min_kib": args.large_min_kib if args.large else None,
                "large_max_kib": args.large_max_kib if args.large else None,
                "per_dir": args.per_dir, "files": w.files, "bytes": w.bytes, "counts": w.kinds}
        with open(args.meta, "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=2, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
