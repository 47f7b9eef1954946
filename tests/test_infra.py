"""infra/template.yaml: it lints clean, and it agrees with the app on headers, routes, storage and retention."""

import json
import os
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatchcase
from pathlib import Path

import boto3
import pytest
import yaml

from functions.exports.jobs import KEPT_FOR
from portal import create_app, lambda_packages
from portal.config import PROJECT_ROOT
from portal.content import load_content
from portal.events.model import REGISTRATION_RETENTION_DAYS
from portal.headers import content_security_policy, security_headers

from .conftest import point_at_moto

TEMPLATE = PROJECT_ROOT / "infra" / "template.yaml"


class _CloudFormationLoader(yaml.SafeLoader):
    """YAML that tolerates CloudFormation's short tags: !Ref X is 'X', !GetAtt A.Arn is 'A.Arn', !Sub is its string."""


def _untagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_CloudFormationLoader.add_multi_constructor("!", _untagged)


@pytest.fixture(scope="module")
def template() -> dict:
    return yaml.load(TEMPLATE.read_text(), Loader=_CloudFormationLoader)


def _resources(template, resource_type):
    return {name: r for name, r in template["Resources"].items() if r["Type"] == resource_type}


def _functions(template):
    return _resources(template, "AWS::Serverless::Function")


def _statements(function):
    statements = []
    for policy in function["Properties"].get("Policies", []):
        # Inline statements only: no SAM policy templates or managed policies, whose actions are not shown here.
        assert isinstance(policy, dict) and set(policy) == {"Statement"}, policy
        statements.extend(policy["Statement"])
    return statements


def _as_list(value):
    return value if isinstance(value, list) else [value]


# The storage prefixes each function may touch: what it stores, and nothing else.
# What the contract pages read instead of every record (decision 14): derived copies that each write replaces.
SUMMARIES = ("contract-summaries/", "contract-index/", "summary-index/")
OWN_PREFIXES = {
    "AssessmentFunction": ("drafts/", "submissions/", "uploads/", "evidence/", "outbox/"),
    "RegisterFunction": ("events/", "outbox/", "council/rate-limits/"),  # the portal's one rate limiter
    "EventRemindersFunction": ("events/", "outbox/"),
    "CouncilFunction": (
        "submissions/",
        "evidence/",
        "reviews/",
        "officers/",
        "audit/",
        "council/",
        "exports/",
        "events/",
        "outbox/",
        "charter/",
        "contracts/",
        "published-contracts/",
        "suppliers/contacts/",
        *SUMMARIES,
    ),
    "CharterFunction": ("charter/", "outbox/", "council/rate-limits/"),
    "CharterRemindersFunction": ("charter/", "outbox/"),
    "CouncilPurgeFunction": (
        "drafts/",
        "submissions/",
        "evidence/",
        "reviews/",
        "audit/",
        "council/",
        "suppliers/sign-in-links/",
        "suppliers/sessions/",
        "charter/links/",
        "charter/used-links/",
        "charter/signatories/",
    ),
    "SupplierFunction": (
        "suppliers/",
        "outbox/",
        "council/rate-limits/",
        "charter/",  # the portal's one rate limiter
        "contracts/",
        *SUMMARIES,
        "uploads/contracts/",
        "evidence/contracts/",
    ),
    "CouncilNotificationsFunction": ("submissions/", "reviews/", "officers/", "council/notified/", "outbox/"),
    "ContractChasingFunction": ("contract-summaries/", "summary-index/", "chasing/", "outbox/"),
    "EvidenceRetentionFunction": ("drafts/", "submissions/", "evidence/"),
    "CouncilApiFunction": (
        "submissions/",
        "officers/",
        "api-tokens/",
        "audit/",
        "charter/",
        "contracts/",
        "contract-summaries/",
        "contract-index/",
    ),
    "EmailSenderFunction": ("outbox/",),
    "EvidenceExportFunction": ("submissions/", "evidence/", "exports/"),
}


def _run_by_events(function) -> bool:
    """Run by a schedule or another service's events, not reached through the HTTP API."""
    return any(
        e["Type"] in ("Schedule", "ScheduleV2", "EventBridgeRule") for e in function["Properties"].get("Events", {}).values()
    )


def test_template_passes_cfn_lint():
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(cfn_lint), str(TEMPLATE.relative_to(PROJECT_ROOT))], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, f"cfn-lint found problems:\n{result.stdout}{result.stderr}"


def test_template_passes_checkov_with_every_exception_explained():
    # Checkov lives in its own environment (.venv/checkov, made by make install): its pins clash with ours.
    checkov = PROJECT_ROOT / ".venv" / "checkov" / "bin" / "checkov"
    result = subprocess.run(
        [
            str(checkov),
            "--file",
            str(TEMPLATE.relative_to(PROJECT_ROOT)),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--compact",
            "--output",
            "json",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in report["results"]["failed_checks"]]
    assert failed == [], (
        "checkov found problems. Fix them, or explain each in the template with a comment inside the "
        "resource: '# checkov:skip=CKV_AWS_N: why' (a new function needs the same four as the others):\n" + "\n".join(failed)
    )
    assert report["summary"]["passed"] > 30
    for skipped in report["results"]["skipped_checks"]:
        assert len(skipped["check_result"].get("suppress_comment", "")) > 20, f"{skipped['check_id']} is skipped without a reason"


def _headers_policy(template):
    [policy] = _resources(template, "AWS::CloudFront::ResponseHeadersPolicy").values()
    return policy["Properties"]["ResponseHeadersPolicyConfig"]


def test_the_deploy_guides_sam_build_uploads_each_functions_own_package_unchanged(tmp_path, s3_endpoint, monkeypatch):
    """docs/deploy.md: python build.py, then sam build, then sam deploy (which packages, as here, into S3: moto)."""
    checkout = tmp_path / "portal"
    (checkout / "infra").mkdir(parents=True)
    shutil.copy(TEMPLATE, checkout / "infra" / "template.yaml")
    packages = {}
    for entry in lambda_packages.entries():  # stand-ins: what is checked here is which zip each function gets
        packages[entry] = checkout / "build" / "functions" / f"{entry}.zip"
        lambda_packages.write_zip({f"{entry}.txt": TEMPLATE}, packages[entry])
    point_at_moto(monkeypatch, s3_endpoint)
    boto3.client("s3").create_bucket(Bucket="sam-artefacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    # SAM lives in its own environment (.venv/sam, made by make install): its pins clash with ours.
    sam = PROJECT_ROOT / ".venv" / "sam" / "bin" / "sam"
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    for command in (
        ["build", "--template", "infra/template.yaml"],
        [
            "package",
            "--template-file",
            ".aws-sam/build/template.yaml",
            "--s3-bucket",
            "sam-artefacts",
            "--output-template-file",
            "packaged.yaml",
        ],
    ):
        result = subprocess.run([str(sam), *command], cwd=checkout, capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    packaged = yaml.load((checkout / "packaged.yaml").read_text(), Loader=_CloudFormationLoader)
    s3 = boto3.client("s3")
    for name, function in _functions(packaged).items():
        entry = function["Properties"]["Handler"].removeprefix("functions.handlers.")
        bucket, key = function["Properties"]["CodeUri"].removeprefix("s3://").split("/", 1)
        uploaded = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert uploaded == packages[entry].read_bytes(), f"{name} would run another function's package"


def test_cloudfront_sends_the_same_csp_as_the_app(template):
    csp = _headers_policy(template)["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert csp == content_security_policy(), (
        "Copy the app's CSP into SecurityHeadersPolicy in infra/template.yaml:\n" + content_security_policy()
    )


def test_cloudfront_sends_every_security_header_the_app_sends(template):
    config = _headers_policy(template)
    security = config["SecurityHeadersConfig"]
    hsts = security["StrictTransportSecurity"]
    sent = {
        "Content-Security-Policy": security["ContentSecurityPolicy"]["ContentSecurityPolicy"],
        "Strict-Transport-Security": f"max-age={hsts['AccessControlMaxAgeSec']}"
        + ("; includeSubDomains" if hsts["IncludeSubdomains"] else "")
        + ("; preload" if hsts["Preload"] else ""),
        "X-Content-Type-Options": "nosniff" if "ContentTypeOptions" in security else None,
        "X-Frame-Options": security["FrameOptions"]["FrameOption"],
        "Referrer-Policy": security["ReferrerPolicy"]["ReferrerPolicy"],
        **{item["Header"]: item["Value"] for item in config["CustomHeadersConfig"]["Items"]},
    }
    assert sent == security_headers()


def test_every_behaviour_sends_the_security_headers(template):
    [distribution] = _resources(template, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    [policy_name] = _resources(template, "AWS::CloudFront::ResponseHeadersPolicy")
    for behaviour in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behaviour["ResponseHeadersPolicyId"] == policy_name, behaviour.get("PathPattern", "default")
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"


def test_function_can_touch_only_its_own_prefixes(template):
    functions = _functions(template)
    assert functions
    for name, function in functions.items():
        own = OWN_PREFIXES.get(name, ())
        for statement in _statements(function):
            actions = _as_list(statement["Action"])
            assert statement["Effect"] == "Allow"
            assert not [a for a in actions if "*" in a], f"{name} has a wildcard action: {actions}"
            resources = _as_list(statement["Resource"])
            assert "*" not in resources, f"{name} allows {actions} on every resource"
            for action in actions:
                if action in ("s3:ListBucket", "s3:ListBucketVersions"):
                    prefixes = _as_list(statement["Condition"]["StringLike"]["s3:prefix"])
                    assert prefixes and all(p.startswith(own) for p in prefixes), (name, prefixes)
                elif action.startswith("s3:"):
                    assert all(
                        r.startswith("${SubmissionsBucket.Arn}/") and r.split("/", 1)[1].startswith(own) for r in resources
                    ), (name, resources)
                elif action == "ses:SendEmail":  # from the council's own sending identity only
                    assert resources == ["arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${SendingIdentity}"]
                else:
                    assert action.startswith("kms:") and resources == ["SubmissionsKey.Arn"], (action, resources)
    # The checklist stores nothing, so it needs no storage at all.
    assert _statements(functions["ChecklistFunction"]) == []


def test_reminders_write_only_their_markers_and_new_links(template):
    statements = _statements(template["Resources"]["EventRemindersFunction"])
    writes = {
        r for s in statements if {"s3:PutObject", "s3:DeleteObject"} & set(_as_list(s["Action"])) for r in _as_list(s["Resource"])
    }
    assert writes == {
        "${SubmissionsBucket.Arn}/events/*/reminded/*",
        "${SubmissionsBucket.Arn}/events/*/links/*",
        "${SubmissionsBucket.Arn}/events/*/changes/*",
        "${SubmissionsBucket.Arn}/events/*/places/*",
        "${SubmissionsBucket.Arn}/outbox/*",
        *OUTBOX_TIDIED,
    }


def test_reminders_run_every_morning_in_uk_time(template):
    function = template["Resources"]["EventRemindersFunction"]
    schedule = function["Properties"]["Events"]["DailyAtNine"]
    assert schedule["Properties"]["Input"] == '{"reminders": true}'
    assert schedule["Type"] == "ScheduleV2"
    assert schedule["Properties"]["ScheduleExpressionTimezone"] == "Europe/London"
    assert schedule["Properties"]["ScheduleExpression"] == "cron(0 9 * * ? *)"


def test_storage_is_the_bucket_root_that_the_policy_names(template):
    for name in OWN_PREFIXES:
        env = template["Resources"][name]["Properties"]["Environment"]["Variables"]
        # A prefix in PORTAL_STORAGE would move what the function stores away from where the policy allows.
        assert env["PORTAL_STORAGE"] == "s3://${SubmissionsBucket}/", name


def test_every_function_gets_the_settings_it_cannot_do_without(template):
    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    # Without PORTAL_SECRET_KEY the app would try to write a key into var/, which is read-only on Lambda.
    assert set(shared) >= {"PORTAL_SECRET_KEY", "PORTAL_BASE_URL", "PORTAL_EMAIL"}
    assert shared["PORTAL_SECRET_KEY"] == "SecretKey"
    assert template["Parameters"]["SecretKey"]["NoEcho"] is True
    assert template["Parameters"]["SecretKey"]["MinLength"] >= 32


def test_submissions_bucket_is_private_encrypted_versioned_and_tls_only(template):
    bucket = template["Resources"]["SubmissionsBucket"]
    properties = bucket["Properties"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    [encryption] = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "SubmissionsKey.Arn"}
    assert encryption["BucketKeyEnabled"] is True
    key = template["Resources"]["SubmissionsKey"]
    assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}

    [policy] = [
        p for p in _resources(template, "AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == "SubmissionsBucket"
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert [s for s in statements if s["Effect"] == "Allow"] == []
    [deny] = statements
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*" and deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert set(deny["Resource"]) == {"SubmissionsBucket.Arn", "${SubmissionsBucket.Arn}/*"}


def test_retention_rules_match_the_privacy_notice(template):
    parameters = template["Parameters"]
    for assessment in load_content(PROJECT_ROOT / "content").assessments.values():
        assert parameters["DraftRetentionDays"]["Default"] == assessment.drafts_expire_after_days
    assert parameters["SubmissionRetentionDays"]["Default"] == 6 * 365
    rules = {
        rule["Id"]: rule for rule in template["Resources"]["SubmissionsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    }
    assert all(rule["Status"] == "Enabled" for rule in rules.values())
    expiring = {rule.get("Prefix"): rule.get("ExpirationInDays") for rule in rules.values()}
    assert expiring["drafts/"] == "DraftRetentionDays"
    assert expiring["submissions/"] == "SubmissionRetentionDays"
    assert expiring["events/"] == "EventRegistrationRetentionDays"
    assert expiring["uploads/"] == 1  # a browser's post is moved or deleted at once; leftovers were abandoned
    assert expiring["exports/"] == 7 == KEPT_FOR.days  # the evidence ZIPs page lists jobs whose ZIPs are still kept
    assert parameters["EventRegistrationRetentionDays"]["Default"] == REGISTRATION_RETENTION_DAYS
    # Versioning keeps what expires unless old versions and markers are erased too.
    [everything] = [rule for rule in rules.values() if "Prefix" not in rule]
    assert everything["NoncurrentVersionExpiration"]["NoncurrentDays"] == "NoncurrentVersionRetentionDays"
    assert everything["ExpiredObjectDeleteMarker"] is True
    assert everything["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1


def test_guardduty_scans_exactly_the_evidence_prefix_and_tags_what_it_finds(template):
    [plan] = _resources(template, "AWS::GuardDuty::MalwareProtectionPlan").values()
    properties = plan["Properties"]
    assert properties["ProtectedResource"]["S3Bucket"] == {"BucketName": "SubmissionsBucket", "ObjectPrefixes": ["evidence/"]}
    assert properties["Actions"] == {"Tagging": {"Status": "ENABLED"}}  # the tag is what functions/malware.py reads
    role = template["Resources"][properties["Role"].split(".")[0]]
    [trust] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "malware-protection-plan.guardduty.amazonaws.com"}
    tagging = [
        s
        for p in role["Properties"]["Policies"]
        for s in p["PolicyDocument"]["Statement"]
        if "s3:PutObjectTagging" in s["Action"]
    ]
    assert [s["Resource"] for s in tagging] == ["${SubmissionsBucket.Arn}/evidence/*"]
    retention = _statements(template["Resources"]["EvidenceRetentionFunction"])
    deletes = {r for s in retention if "s3:DeleteObject" in _as_list(s["Action"]) for r in _as_list(s["Resource"])}
    assert deletes == {"${SubmissionsBucket.Arn}/evidence/*"}  # it only ever deletes evidence
    assert not [s for s in retention if "s3:PutObject" in _as_list(s["Action"])]
    scanner = template["Resources"]["AssessmentFunction"]["Properties"]["Environment"]["Variables"]
    assert scanner["PORTAL_MALWARE_SCANNER"] == "guardduty"


# --- Routing: every function address reaches its own function, and every static page the site bucket. ---


@pytest.fixture(scope="module")
def make_app():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_SECRET_KEY", "a-test-key-that-is-long-enough-to-sign-cookies")
        yield lambda functions: create_app({"TESTING": True}, functions=functions)


def _sample(rule) -> str:
    """An address the rule matches, with every variable part filled in."""
    return re.sub(r"<[^>]+>", "x", rule.rule)


def _rules(app):
    return {(rule.rule, frozenset(rule.methods - {"HEAD", "OPTIONS"})): rule for rule in app.url_map.iter_rules()}


def _behaviour(template, path):
    """The CloudFront behaviour for a path: the first pattern that matches, in order ('*' matches '/' too)."""
    config = template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    for behaviour in config["CacheBehaviors"]:
        if fnmatchcase(path, behaviour["PathPattern"]):
            return behaviour
    return config["DefaultCacheBehavior"]


def _api_function(template, method, path):
    """The function that the HTTP API's routes send a request to, or None.

    Like API Gateway, the most specific route wins: one without a greedy {proxy+} before one with, and
    a longer route before a shorter (so /council/api/{proxy+} beats /council/{proxy+})."""
    matches = []
    for route in _resources(template, "AWS::ApiGatewayV2::Route").values():
        route_method, route_path = route["Properties"]["RouteKey"].split(" ", 1)
        pattern = re.sub(r"\\\{[^}]+\\\+\\\}", ".+", re.escape(route_path))
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        if route_method in ("ANY", method) and re.fullmatch(pattern, path):
            matches.append(("+}" in route_path, -len(route_path), route))
    if not matches:
        return None
    route = min(matches, key=lambda match: match[:2])[2]
    integration = route["Properties"]["Target"].removeprefix("integrations/${").removesuffix("}")
    return template["Resources"][integration]["Properties"]["IntegrationUri"].removesuffix(".Arn")


def test_every_function_handler_exists(template):
    from functions import handlers

    for name, function in _functions(template).items():
        module, _, entry = function["Properties"]["Handler"].rpartition(".")
        assert module == "functions.handlers" and callable(getattr(handlers, entry, None)), name


def test_every_function_address_reaches_its_function(template, make_app):
    site_only = _rules(make_app(()))
    for name, function in _functions(template).items():
        if _run_by_events(function):
            continue
        entry = function["Properties"]["Handler"].rpartition(".")[2]
        own = {key: rule for key, rule in _rules(make_app((entry,))).items() if key not in site_only}
        assert own, f"{name}'s app has no routes of its own"
        for (_, methods), rule in own.items():
            path = _sample(rule)
            behaviour = _behaviour(template, path)
            assert behaviour["TargetOriginId"] == "functions", f"CloudFront sends {path} to the site bucket"
            assert methods <= set(behaviour["AllowedMethods"]), (path, methods)
            for method in methods:
                assert _api_function(template, method, path) == name, f"the HTTP API does not send {method} {path} to {name}"


def test_every_static_page_comes_from_the_site_bucket(template, make_app):
    for rule in make_app(()).url_map.iter_rules():
        path = _sample(rule)
        # Behaviours match the address as asked for, before the index page function adds index.html.
        for asked in (path, path + "index.html") if path.endswith("/") else (path,):
            assert _behaviour(template, asked)["TargetOriginId"] == "site", f"CloudFront sends {asked} to the functions"


def test_only_404s_are_replaced_with_the_404_page_from_the_bucket(template):
    # The 404 page comes from the bucket: its path must not be caught by a function's behaviour.
    config = template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    for response in config["CustomErrorResponses"]:
        assert _behaviour(template, response["ResponsePagePath"])["TargetOriginId"] == "site"
        # A function's own 403, 410 and 503 pages must reach the user unchanged.
        assert response["ErrorCode"] == 404


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
@pytest.mark.parametrize(
    "uri, expected",
    [
        ("/", {"uri": "/index.html"}),
        ("/framework/", {"uri": "/framework/index.html"}),
        ("/assessments/readiness/", {"uri": "/assessments/readiness/index.html"}),
        ("/events/school-meals-online-briefing/", {"uri": "/events/school-meals-online-briefing/index.html"}),
        ("/events/feed.ics", {"uri": "/events/feed.ics"}),
        ("/framework", {"statusCode": 301, "location": "/framework/"}),
        ("/assets/portal.0f59369db9.css", {"uri": "/assets/portal.0f59369db9.css"}),
        ("/404.html", {"uri": "/404.html"}),
    ],
)
def test_index_page_function(template, uri, expected):
    code = template["Resources"]["IndexPageFunction"]["Properties"]["FunctionCode"]
    script = (
        code
        + f"""
var result = handler({{request: {{uri: {json.dumps(uri)}, method: 'GET', querystring: {{}}, headers: {{}}}}}});
console.log(JSON.stringify(result.statusCode
  ? {{statusCode: result.statusCode, location: result.headers.location.value}}
  : {{uri: result.uri}}));
"""
    )
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == expected


# --- The council pages (functions/council/). ---


def _actions_on(template, function_name, prefix):
    return {
        action
        for s in _statements(template["Resources"][function_name])
        for action in _as_list(s["Action"])
        for resource in _as_list(s["Resource"])
        if resource.startswith(f"${{SubmissionsBucket.Arn}}/{prefix}")
    }


def test_only_the_purge_can_delete_audit_records_and_reviews(template):
    for prefix in ("audit/", "reviews/", "officers/"):
        deleters = {
            name
            for name in _functions(template)
            if {"s3:DeleteObject", "s3:DeleteObjectVersion"} & _actions_on(template, name, prefix)
        }
        assert deleters <= {"CouncilPurgeFunction"}, (prefix, deleters)
    # The council pages delete nothing but the emails they have delivered (the outbox's, functions/mail/outbox.py)
    # and the contracts' summaries that a write has replaced (derived copies, never records).
    assert {
        r
        for s in _statements(template["Resources"]["CouncilFunction"])
        if {"s3:DeleteObject", "s3:DeleteObjectVersion"} & set(_as_list(s["Action"]))
        for r in _as_list(s["Resource"])
    } == OUTBOX_TIDIED | {f"${{SubmissionsBucket.Arn}}/{p}*" for p in SUMMARIES}


OUTBOX_TIDIED = {"${SubmissionsBucket.Arn}/outbox/pending/*", "${SubmissionsBucket.Arn}/outbox/attempts/*"}


def test_every_function_that_emails_stores_its_emails_in_the_outbox_first(template):
    for name, function in _functions(template).items():
        if "ses:SendEmail" in {a for s in _statements(function) for a in _as_list(s["Action"])}:
            assert {"s3:PutObject", "s3:GetObject"} <= _actions_on(template, name, "outbox/"), name
            assert {"s3:DeleteObject", "s3:DeleteObjectVersion"} <= _actions_on(template, name, "outbox/pending/"), name


def test_the_email_sender_runs_every_minute(template):
    [schedule] = template["Resources"]["EmailSenderFunction"]["Properties"]["Events"].values()
    assert schedule["Type"] == "ScheduleV2" and schedule["Properties"]["ScheduleExpression"] == "rate(1 minute)"


def test_the_council_pages_only_read_event_registrations(template):
    assert _actions_on(template, "CouncilFunction", "events/") == {"s3:GetObject"}


def _writers(template, prefix):
    """The functions that may put an object under `prefix`, through any resource pattern that covers it."""
    key = f"${{SubmissionsBucket.Arn}}/{prefix}some-object"
    return {
        name
        for name, function in _functions(template).items()
        for s in _statements(function)
        if "s3:PutObject" in _as_list(s["Action"]) and any(fnmatchcase(key, r) for r in _as_list(s["Resource"]))
    }


def test_only_the_council_pages_record_evidence_zip_jobs_and_only_the_export_function_finishes_them(template):
    # A function that could write a job record would start the export function; one that could write an outcome
    # could say a ZIP is ready that is not.
    assert _writers(template, "exports/jobs/") == {"CouncilFunction"}
    assert _writers(template, "exports/job-results/") == _writers(template, "exports/evidence/") == {"EvidenceExportFunction"}
    [rule] = template["Resources"]["EvidenceExportFunction"]["Properties"]["Events"].values()
    assert rule["Properties"]["Pattern"]["detail"]["object"]["key"] == [{"prefix": "exports/jobs/"}]


def test_the_evidence_export_can_tell_a_purged_submission_from_a_refused_read(template):
    listed = {
        prefix
        for s in _statements(template["Resources"]["EvidenceExportFunction"])
        if "s3:ListBucket" in s["Action"]
        for prefix in s["Condition"]["StringLike"]["s3:prefix"]
    }
    assert {"submissions/*", "evidence/*", "exports/*"} <= listed


def test_council_schedules_run_in_uk_time(template):
    for name, expression in (
        ("CouncilPurgeFunction", "cron(0 2 * * ? *)"),
        ("CouncilNotificationsFunction", "cron(0 7 * * ? *)"),
        ("ContractChasingFunction", "cron(0 8 * * ? *)"),
    ):
        [schedule] = template["Resources"][name]["Properties"]["Events"].values()
        assert schedule["Type"] == "ScheduleV2"
        assert schedule["Properties"]["ScheduleExpressionTimezone"] == "Europe/London"
        assert schedule["Properties"]["ScheduleExpression"] == expression


def test_council_retention_settings_come_from_the_template_parameters(template):
    for name in ("CouncilFunction", "CouncilPurgeFunction"):
        env = template["Resources"][name]["Properties"]["Environment"]["Variables"]
        assert env["PORTAL_SUBMISSION_RETENTION_DAYS"] == "SubmissionRetentionDays"
        assert env["PORTAL_AUDIT_RETENTION_DAYS"] == "AuditRetentionDays"
    rules = {
        rule.get("Prefix"): rule.get("ExpirationInDays")
        for rule in template["Resources"]["SubmissionsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    }
    assert rules["audit/"] == "AuditRetentionDays" and rules["council/"] == 7


def test_the_functions_are_reached_only_through_cloudfront(template):
    """CloudFront adds a generated secret header to every request for the functions; they refuse any without it,
    and trust CloudFront-Viewer-Address only because they know CloudFront is in front (functions/viewer.py)."""
    from portal.headers import ORIGIN_SECRET_HEADER

    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    assert shared["PORTAL_BEHIND_CLOUDFRONT"] == "true"
    secret = "{{resolve:secretsmanager:${OriginSecret}:SecretString}}"
    assert shared["PORTAL_ORIGIN_SECRET"] == secret
    generated = template["Resources"]["OriginSecret"]["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 32
    [distribution] = _resources(template, "AWS::CloudFront::Distribution").values()
    origins = {o["Id"]: o for o in distribution["Properties"]["DistributionConfig"]["Origins"]}
    assert origins["functions"]["OriginCustomHeaders"] == [{"HeaderName": ORIGIN_SECRET_HEADER, "HeaderValue": secret}]
