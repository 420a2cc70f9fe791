"""Suppressions: an accepted exception, recorded with its reason, keeps a finding from counting
and is shown wherever the finding is; a mistake in the file is named with its fix; a lapsed one
counts again; one that accepted nothing is said."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from modules.checks.finding import Finding, Suppression, suppress, suppress_failures
from modules.checks.live import Check
from modules.checks.suppressions import expired, parse, unused
from modules.cli import commands
from modules.cli.commands.drift import _as_json
from modules.kernel.errors import ConfigError
from tests import tfvars
from tests.unit.checks.test_verify import LEAKS

REASON = "sandbox only: accepted by the security board, ticket SEC-123"
GATEWAY = {"rule": "internet", "address": "aws_internet_gateway.*", "reason": REASON}


def _file(tmp_path: Path, *entries: Any, name: str = "s.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"suppressions": list(entries)}))
    return path


def _leaky(dev: dict[str, Any], tmp_path: Path) -> Path:
    stack = copy.deepcopy(dev)
    LEAKS["internet gateway"][0](stack)
    path = tmp_path / "leak.json"
    path.write_text(json.dumps(stack))
    return path


def test_an_accepted_finding_is_shown_with_its_reason_and_does_not_count(
    dev: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leak, accepted = _leaky(dev, tmp_path), _file(tmp_path, GATEWAY)
    assert commands.run(["verify", "--file", str(leak), "--suppressions", str(accepted)]) == 0
    out = capsys.readouterr().out
    assert "PROVEN" in out and "accepted exceptions (1), not counted:" in out
    assert "[internet] aws_internet_gateway.leak" in out
    assert f"suppressed ({accepted}#1): {REASON}" in " ".join(out.split())
    code = commands.run(["verify", "--file", str(leak), "--suppressions", str(accepted), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert (code, document["schema_version"], document["result"]) == (0, 2, "proven")
    (finding,) = document["payload"]["inputs"][0]["findings"]
    assert (finding["rule"], finding["severity"], finding["hop"]) == ("internet", "high", "network")
    assert finding["suppressed"]["reason"] == REASON and finding["suppressed"]["until"] is None


def test_without_the_suppression_the_same_input_is_refuted(
    dev: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leak = _leaky(dev, tmp_path)
    assert commands.run(["verify", "--file", str(leak)]) == 2
    other = _file(tmp_path, {**GATEWAY, "address": "aws_vpn_gateway.*"})
    assert commands.run(["verify", "--file", str(leak), "--suppressions", str(other)]) == 2
    assert "REFUTED: 1 finding(s)" in capsys.readouterr().out


def test_a_lapsed_suppression_counts_again_and_is_said(
    dev: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lapsed = _file(tmp_path, {**GATEWAY, "until": "2020-01-31"})
    leak = _leaky(dev, tmp_path)
    assert commands.run(["verify", "--file", str(leak), "--suppressions", str(lapsed)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "the suppression of internet lapsed on 2020-01-31: its findings count again" in err


def test_a_suppression_that_accepted_nothing_is_said(
    dev: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception whose finding is gone is said, so that it is removed before it accepts the
    next failure at that address; a suppression of a rule the command does not check is not."""
    leak = _leaky(dev, tmp_path)
    vpn = {**GATEWAY, "address": "aws_vpn_gateway.*"}
    live = {"rule": "live.open_rules", "reason": REASON}
    path = _file(tmp_path, GATEWAY, vpn, live)
    assert commands.run(["verify", "--file", str(leak), "--suppressions", str(path)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"{path}#2: the suppression of internet at aws_vpn_gateway.* accepted nothing" in err
    assert f"{path}#1" not in err and f"{path}#3" not in err
    stack = tmp_path / "dev.json"
    stack.write_text(json.dumps(dev))
    assert commands.run(["verify", "--file", str(stack), "--suppressions", str(path)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"{path}#1: the suppression of internet" in err and f"{path}#3" not in err


def test_a_second_suppression_of_the_same_failure_accepted_nothing() -> None:
    first = Suppression("live.open_rules", REASON, "*", None, "f#1")
    again = Suppression("live.open_rules", REASON + ".", "no rule open*", None, "f#2")
    lapsed = Suppression("live.routes", REASON, "*", date(2020, 1, 31), "f#3")
    checks = [Check("live.open_rules", "no rule open to 0.0.0.0/0 or ::/0", False, "sg-1")]
    marked = suppress_failures(checks, (first, again, lapsed))
    assert unused((first, again, lapsed), marked, "live") == [again]  # a lapsed one is said apart
    assert unused((first, again), marked, "state") == []


def test_every_mistake_in_the_file_is_named_with_its_fix(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        {"rule": "internets", "reason": REASON},
        {"rule": "flow_logs", "reason": "ok"},
        {"rule": "flow_logs", "reason": REASON, "until": "next year"},
        {"rule": "flow_logs", "reason": REASON, "scope": "all"},
        {"rule": "plan", "reason": REASON},
    )
    with pytest.raises(ConfigError) as raised:
        parse(path)
    message = str(raised.value)
    assert "#1: rule: is not a rule of the registry; got 'internets'. did you mean internet" in (
        message
    )
    assert "#2: reason: must say why the exception is accepted and by whom" in message
    assert "#3: until: must be a date, YYYY-MM-DD; got 'next year'" in message
    assert "#4: scope: is not a key of a suppression" in message
    assert "#5: rule: cannot be suppressed" in message
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ConfigError, match="not valid JSON"):
        parse(tmp_path / "bad.json")


def test_an_environments_file_is_read_by_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environments = tmp_path / "environments"
    monkeypatch.setenv("AGENTCORE_ENVIRONMENTS_DIR", str(environments))
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "cdktf.out"))
    monkeypatch.setenv("AGENTCORE_STATE_DIR", str(tmp_path / "state"))
    tfvars.write(environments, "dev", tfvars.shipped("dev"))
    _file(environments, {"rule": "nope", "reason": REASON}, name="dev.suppressions.json")
    assert commands.run(["verify", "--env", "dev"]) == 1
    assert "dev.suppressions.json#1: rule: is not a rule of the registry" in (
        capsys.readouterr().err
    )
    assert commands.run(["verify", "--env", "dev", "--suppressions", "x.json"]) == 1
    assert "--suppressions applies to --file" in capsys.readouterr().err


def test_a_live_check_that_fails_is_skipped_with_its_reason_when_accepted() -> None:
    accepted = Suppression("live.extra_endpoints", REASON, "no endpoints besides*", None, "f#1")
    checks = [
        Check("live.vpc_dns", "VPC enableDnsSupport is on", True),
        Check("live.extra_endpoints", "no endpoints besides the configured ones", False, "vpce-1"),
        Check("live.open_rules", "no rule open to 0.0.0.0/0 or ::/0", False, "sg-1"),
    ]
    marked = suppress_failures(checks, (accepted,))
    assert [c.counts for c in marked] == [False, False, True]
    assert marked[1].line().startswith("skip no endpoints besides the configured ones: vpce-1 (")
    assert marked[2].line().startswith("FAIL no rule open")
    assert marked[1].finding().as_dict()["suppressed"]["source"] == "f#1"


def test_accepted_drift_is_counted_apart() -> None:
    findings = [
        Finding("drift.unmanaged", "vpce-9", "vpc_endpoint", "x", level="medium"),
        Finding("drift.changed", "aws_vpc.this", "tags", "labels only", level="low"),
    ]
    accepted = Suppression("drift.unmanaged", REASON, "vpce-*")
    report = _as_json(suppress(findings, (accepted,)))
    assert report["drift"] is True
    assert report["summary"] == {"high": 0, "medium": 0, "low": 1, "suppressed": 1}
    assert [f["suppressed"] is not None for f in report["findings"]] == [True, False]


def test_lapsed_means_after_the_last_day() -> None:
    last_day = Suppression("internet", REASON, until=date(2027, 6, 30), source="f#1")
    assert not last_day.expired(date(2027, 6, 30)) and last_day.expired(date(2027, 7, 1))
    assert expired((last_day,), date(2027, 6, 30)) == []
