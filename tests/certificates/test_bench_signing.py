"""A quick pass through ``make bench``'s signing benchmark: signed and unsigned issuance, the bare pyHanko baseline,
and the check that every signed PDF validates. No timing is asserted (speed is for ``make bench``)."""
from bench import signing


def test_bench_signing_code_path(tmp_path):
    result = signing.measure(tmp_path, 4)
    assert result["certificates_per_kind"] == 4
    assert result["unsigned_ms_per_certificate"] > 0 and result["signed_ms_per_certificate"] > 0
    assert result["bare_pyhanko_ms"] > 0 and result["target"] == signing.TARGET
