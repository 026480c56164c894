"""The `tracegraph` command as a user runs it: load in one process, trace in another."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.errors import BadRequestError
from app.evidence.documents import DocumentFiles
from app.sealing import Sealer, generate_key
from app.service import DEMO_DIR, DEMO_EXPECTED, TraceService
from app.store.memory import MemoryStore
from app.webhooks import WebhookRequest

EXPECTED = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture
def store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "graph.json"
    monkeypatch.setenv("TRACEGRAPH_MEMORY_PATH", str(path))
    monkeypatch.setenv("TRACEGRAPH_STORE", "memory")
    return path


def test_load_then_trace_in_separate_processes(store_file: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TRACEGRAPH_MEMORY_PATH": str(store_file)}
    exe = shutil.which("tracegraph", path=str(Path(sys.executable).parent)) or "tracegraph"
    loaded = subprocess.run([exe, "load", str(DEMO_DIR)], env=env, capture_output=True, text=True, check=True)
    assert "loaded; data version" in loaded.stdout
    assert "sourcing.csv" in loaded.stdout
    flagged = next(pid for pid, v in EXPECTED.items() if v == "presumption_applies")
    traced = subprocess.run([exe, "trace", flagged], env=env, capture_output=True, text=True, check=True)
    assert "verdict: PRESUMPTION_APPLIES" in traced.stdout
    assert "tier 1:" in traced.stdout and "rule " in traced.stdout


def test_trace_json_and_products_listing(store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(DEMO_DIR)]) == 0
    capsys.readouterr()
    clean = next(pid for pid, v in EXPECTED.items() if v == "no_risk_found")
    assert main(["trace", clean, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "no_risk_found" and doc["supply_map"]["nodes"]
    assert main(["products", "--verdict", "needs_review"]) == 0
    listed = capsys.readouterr().out.split()
    assert sorted(pid for pid in EXPECTED if EXPECTED[pid] == "needs_review") == sorted(
        word for word in listed if word in EXPECTED
    )


def test_second_load_reports_no_changes(store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(DEMO_DIR)]) == 0
    assert main(["load", str(DEMO_DIR)]) == 0
    assert "no changes (already loaded)" in capsys.readouterr().out


def test_bad_bundle_names_every_problem_and_exits_2(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "companies.csv").write_text("company_id,name,country\nC1,Acme,Narnia\nC1,Acme again,US\n")
    (bad / "facilities.csv").write_text("facility_id,company_id,country,latitude,longitude\nF1,C2,CN,95,10\n")
    assert main(["load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "companies.csv, row 2, column country" in err
    assert "companies.csv, row 3" in err and "duplicate" in err
    assert "facilities.csv, row 2, column company_id" in err
    assert "facilities.csv, row 2, column latitude" in err
    assert main(["products", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing was loaded


def test_unknown_product_exits_1(store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(DEMO_DIR)]) == 0
    assert main(["trace", "NOPE"]) == 1
    assert "NOPE" in capsys.readouterr().err


def test_screen_from_flags_and_from_csv(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["screen", "--name", "Hoshine Silicon Industry (Shanshan) Co Ltd", "--country", "CN"]) == 0
    out = capsys.readouterr().out
    assert "match UFLPA" in out and "lists: " in out
    records = tmp_path / "suppliers.csv"
    records.write_text(
        "name,country,city,postal_code\nAcme Gin,CN,Aksu,843000\nAcme Gin,KZ,Aksu,\n", encoding="utf-8"
    )
    assert main(["screen", "--csv", str(records), "--json"]) == 0
    china, kazakhstan = json.loads(capsys.readouterr().out)
    assert china["xuar"]["in_xuar"] is True and kazakhstan["xuar"]["in_xuar"] is not True


def test_screen_csv_with_an_unknown_column_names_it(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = tmp_path / "bad.csv"
    records.write_text("name,provnce\nAcme,Xinjiang\n", encoding="utf-8")
    assert main(["screen", "--csv", str(records)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "provnce" in err


def test_review_then_screen_honours_it(store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flags = ["--name", "Hoshine Silicon Industry (Shanshan) Co Ltd", "--country", "CN", "--json"]
    assert main(["screen", *flags]) == 0
    (first,) = json.loads(capsys.readouterr().out)
    top = first["matches"][0]
    argv = ["review", first["subject"], top["list"], top["entry_id"], "rejected"]
    assert main([*argv, "--reviewer", "me", "--reason", "other company"]) == 0
    capsys.readouterr()
    assert main(["screen", *flags]) == 0
    (after,) = json.loads(capsys.readouterr().out)
    assert top["entry_id"] not in [m["entry_id"] for m in after["matches"]]


def test_lists_load_a_refresh_show_it_in_force_and_diff_it(
    store_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lists", "show"]) == 0
    shown = capsys.readouterr().out
    old = next(
        line.split()[1] for line in shown.splitlines() if line.startswith("UFLPA ") and "in force" in line
    )
    fixture = Path(__file__).parent / "fixtures" / "lists" / "dhs_uflpa.html"
    assert main(["lists", "load", str(fixture), "--format", "uflpa-dhs-html"]) == 0
    loaded = capsys.readouterr().out
    new = loaded.split()[2].rstrip(":")
    assert main(["lists", "show"]) == 0
    assert any(new in line and "in force" in line for line in capsys.readouterr().out.splitlines())
    assert main(["lists", "diff", old, new]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.endswith("removed") and "added" in summary


def test_a_malformed_list_file_loads_nothing(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lists", "show"]) == 0
    before = capsys.readouterr().out
    broken = tmp_path / "csl.csv"
    broken.write_text("_id,source\n1\n", encoding="utf-8")
    assert main(["lists", "load", str(broken), "--format", "csl-csv"]) == 2
    err = capsys.readouterr().err
    assert "csl.csv" in err and "in force is unchanged" in err
    assert main(["lists", "show"]) == 0
    assert capsys.readouterr().out == before


def test_screen_all_prints_every_products_verdict(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", str(DEMO_DIR), "--progress"]) == 0
    loaded = capsys.readouterr()
    assert "loaded; data version" in loaded.out and "[" in loaded.err  # the bar went to stderr
    assert main(["screen-all", "--json", "--no-progress"]) == 0
    run = capsys.readouterr()
    assert {r["product_id"]: r["verdict"] for r in json.loads(run.out)} == EXPECTED and run.err == ""
    listed = tmp_path / "ids.txt"
    listed.write_text("# two products\nHP-PV-410\nHP-SH-POP\nNOT-LOADED\n", encoding="utf-8")
    assert main(["screen-all", "--products", str(listed), "--csv"]) == 0
    out = capsys.readouterr()
    rows = out.out.splitlines()
    assert rows[0] == "product_id,verdict,facility_id,rule,gap"
    assert [r.split(",")[:2] for r in rows[1:]] == [
        ["HP-PV-410", "presumption_applies"],
        ["HP-SH-POP", "no_risk_found"],
    ]
    assert "1 of the listed products are not loaded" in out.err


def test_offboarding_a_tenant_deletes_its_data_keys_and_files_and_no_one_elses(
    store_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = tmp_path / "documents"
    monkeypatch.setenv("TRACEGRAPH_DOCUMENT_DIR", str(documents))
    flagged = next(pid for pid, v in EXPECTED.items() if v == "presumption_applies")
    for tenant in ("leaving", "staying"):
        assert main(["--tenant", tenant, "load", str(DEMO_DIR)]) == 0
        assert main(["--tenant", tenant, "keys", "create", "--role", "importer"]) == 0
        DocumentFiles(documents).put(tenant, f"mill certificate of {tenant}".encode(), "application/pdf")
    capsys.readouterr()

    assert main(["--tenant", "leaving", "tenant", "drop", "--confirm", "staying"]) == 2
    assert "not dropped" in capsys.readouterr().err
    assert main(["--tenant", "leaving", "trace", flagged]) == 0
    capsys.readouterr()

    assert main(["--tenant", "leaving", "tenant", "drop", "--confirm", "leaving", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tenant"] == "leaving" and report["files"] == 1 and report["records"] > 100
    assert not (documents / "leaving").exists() and (documents / "staying").is_dir()

    assert main(["--tenant", "leaving", "tenant", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["data_version"] == "" and not any(info["counts"].values())
    assert main(["--tenant", "leaving", "keys", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--tenant", "leaving", "trace", flagged]) == 1
    capsys.readouterr()

    assert main(["--tenant", "staying", "trace", flagged]) == 0
    capsys.readouterr()
    assert main(["--tenant", "staying", "keys", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["--tenant", "staying", "tenant", "info"]) == 0
    assert "data version " in capsys.readouterr().out


@pytest.mark.parametrize("name", ["..", ".", "", "staying/..", "../staying"])
def test_offboarding_files_reaches_no_folder_but_the_tenants_own(tmp_path: Path, name: str) -> None:
    files = DocumentFiles(tmp_path / "documents")
    files.put("staying", b"mill certificate", "application/pdf")
    with pytest.raises(BadRequestError):
        files.drop(name)
    assert len(list((tmp_path / "documents" / "staying").glob("*/*"))) == 2  # the file and its sidecar


def test_webhook_secrets_are_checked_and_resealed_for_a_key_rotation(
    store_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = generate_key(), generate_key()
    service = TraceService(MemoryStore(store_file))
    service.webhooks.sealer = Sealer(old)
    service.webhooks.allow_private = True  # no DNS lookup of the receiver's host here
    hook = service.webhooks.create("acme", WebhookRequest(url="https://example.com/h"))
    monkeypatch.setenv("TRACEGRAPH_SECRETS_KEY", f"{new},{old}")

    assert main(["webhooks", "secrets"]) == 0
    out = capsys.readouterr().out
    assert "tenant acme: 1 old_key" in out and "run with --reseal before dropping a key" in out
    assert main(["webhooks", "secrets", "--reseal", "--json"]) == 0
    (acme,) = json.loads(capsys.readouterr().out)
    assert acme["tenant"] == "acme" and acme["resealed"] == 1 and acme["states"]["current"] == 1

    monkeypatch.setenv("TRACEGRAPH_SECRETS_KEY", new)  # the old key dropped
    assert main(["webhooks", "secrets"]) == 0
    assert "the keys after it can be dropped" in capsys.readouterr().out
    stored = MemoryStore(store_file).get_webhook("acme", hook.webhook_id)
    assert stored is not None and Sealer(new).unseal(str(stored["secret"])) == hook.secret
    monkeypatch.setenv("TRACEGRAPH_SECRETS_KEY", generate_key())  # a key that never sealed it
    assert main(["webhooks", "secrets"]) == 0
    assert (
        "1 secret(s) sealed with a key that TRACEGRAPH_SECRETS_KEY does not hold" in capsys.readouterr().out
    )
