"""The demo's certification authority (development only): its keys open and chain to its root, and the demo
makes it only in development, never where the administrator named signers of their own."""
from voting.core.pades.check import check_all
from voting.core.pades.settings import read_settings
from voting.core.pades.signers import forget_opened
from voting.demo.pki import build_demo_pki


def test_the_demo_pki_signs_for_each_authority_it_names(app, tmp_path):
    path = build_demo_pki(tmp_path / "demo-pki", [("TNG", "Ủy ban nhân dân tỉnh Thái Nguyên"),
                                                  ("KHA", "Ủy ban nhân dân tỉnh Khánh Hòa")])
    assert (tmp_path / "demo-pki" / "passphrase.txt").stat().st_mode & 0o077 == 0  # its secrets: owner only
    settings = read_settings(path)
    with app.app_context():
        try:
            checks = check_all(settings)
        finally:
            forget_opened()
    assert [(c.code, c.problem) for c in checks] == [("KHA", None), ("TNG", None)]
    assert checks[1].subject == "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"


def test_the_demo_makes_no_pki_outside_development(app, tmp_path, monkeypatch):
    from certificates.demo import ensure_demo_signers

    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(tmp_path / "signing-key.pem"))
    with app.app_context():
        ensure_demo_signers([])  # testing configuration
        assert not (tmp_path / "demo-pki").exists()
        monkeypatch.setitem(app.config, "ENV_NAME", "development")
        monkeypatch.setitem(app.config, "DOCUMENT_SIGNERS_FILE", str(tmp_path / "own.toml"))
        ensure_demo_signers([])  # the administrator's own file: left alone
        assert not (tmp_path / "demo-pki").exists()
