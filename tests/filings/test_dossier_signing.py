"""Signing the dossier: PAdES signature valid over the whole PDF/A-3, tamper evident, dev identity command."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pytest_django.fixtures import Settings

from filings.dossier.pdf import Attachment, PdfMetadata, extract_attachments, render_pdf
from filings.dossier.signing import (
    DossierSigningError,
    SigningIdentityPaths,
    create_dev_signing_identity,
    sign_pdf,
    verify_pdf,
)

PASSPHRASE = "dev-passphrase"
TAPE = b"asset_id,balance\n" + b"".join(f"A{i},{i}.00\n".encode() for i in range(500))
HTML = """<html lang="zh-CN"><head><title>备案材料</title></head><body>
<h1>第一章 发行概况</h1><p>本期资产支持证券代币由上海某某资产管理有限公司发行。</p>
<h1>Chapter 2 Asset pool</h1><p>The pool holds 500 receivables.</p>
</body></html>"""
METADATA = PdfMetadata(
    title="备案材料", reference="CSRC-ABS-2026-0042", created=datetime(2026, 11, 25, 8, 18, tzinfo=UTC)
)


def render() -> bytes:
    attachments = [Attachment("asset_tape.csv", TAPE, "text/csv", "资产清单", "Source")]
    return render_pdf(HTML, base_url=None, attachments=attachments, metadata=METADATA)


def sign(pdf: bytes, identity: SigningIdentityPaths) -> bytes:
    return sign_pdf(
        pdf,
        p12_path=identity.signer_p12,
        passphrase=PASSPHRASE,
        reason="发行备案提交 Filing submission",
        location="上海 Shanghai",
        field_name="IssuerSignature",
    )


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> SigningIdentityPaths:
    return create_dev_signing_identity(
        tmp_path_factory.mktemp("signing"), common_name="测试签署人 Test Signatory", passphrase=PASSPHRASE
    )


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return render()


@pytest.fixture(scope="module")
def signed(unsigned: bytes, identity: SigningIdentityPaths) -> bytes:
    return sign(unsigned, identity)


def xmp_of(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_signature_is_valid_intact_trusted_and_covers_the_whole_file(
    signed: bytes, identity: SigningIdentityPaths
) -> None:
    result = verify_pdf(signed, trust_roots=[identity.ca_cert])

    assert (result.valid, result.intact, result.trusted, result.covers_whole_document) == (
        True,
        True,
        True,
        True,
    )
    assert "Common Name: 测试签署人 Test Signatory" in result.signer_subject
    assert result.signed_at is not None
    assert abs(datetime.now(UTC) - result.signed_at) < timedelta(minutes=5)


def test_signature_is_an_incremental_update_that_keeps_tagged_pdfa_and_attachments(
    unsigned: bytes, signed: bytes
) -> None:
    reader = pypdf.PdfReader(io.BytesIO(signed))
    xmp = xmp_of(signed)
    producer = re.search(r'pdf:Producer="([^"]*)"', xmp)

    assert signed.startswith(unsigned)
    assert extract_attachments(signed) == {"asset_tape.csv": TAPE}
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    catalog = reader.trailer["/Root"]  # still tagged for a screen reader after the signing update
    assert catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert producer is not None and reader.metadata["/Producer"] == producer[1]  # PDF/A: Info and XMP agree
    widget = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()
    assert (widget["/Rect"], widget["/F"] & 4) == ([0, 0, 0, 0], 4)  # invisible but printable, as PDF/A asks


def test_signature_carries_reason_and_location(signed: bytes) -> None:
    field = pypdf.PdfReader(io.BytesIO(signed)).trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()

    assert field["/T"] == "IssuerSignature"
    assert (field["/V"]["/Reason"], field["/V"]["/Location"]) == (
        "发行备案提交 Filing submission",
        "上海 Shanghai",
    )
    assert field["/V"]["/SubFilter"] == "/ETSI.CAdES.detached"


@pytest.mark.parametrize("where", ["rendered document", "signature dictionary"])
def test_flipping_one_signed_byte_breaks_the_signature(
    where: str, unsigned: bytes, signed: bytes, identity: SigningIdentityPaths
) -> None:
    if where == "rendered document":
        offset = len(unsigned) // 2
    else:
        offset = signed.index(b"/Reason", len(unsigned)) + 12
    found = re.search(rb"/ByteRange \[ *(\d+) (\d+) (\d+) (\d+) *\]", signed)
    assert found is not None
    start1, length1, start2, length2 = (int(number) for number in found.groups())
    assert start1 <= offset < start1 + length1 or start2 <= offset < start2 + length2
    tampered = bytearray(signed)
    tampered[offset] ^= 0x01

    result = verify_pdf(bytes(tampered), trust_roots=[identity.ca_cert])

    assert (result.valid, result.intact) == (False, False)


def test_untrusted_signer_is_intact_but_not_valid(signed: bytes, tmp_path: Path) -> None:
    stranger = create_dev_signing_identity(tmp_path, common_name="Someone else", passphrase="x")

    result = verify_pdf(signed, trust_roots=[stranger.ca_cert])

    assert (result.valid, result.intact, result.trusted) == (False, True, False)


def test_unsigned_pdf_is_reported_invalid(unsigned: bytes, identity: SigningIdentityPaths) -> None:
    result = verify_pdf(unsigned, trust_roots=[identity.ca_cert])

    assert (result.valid, result.summary) == (False, "The PDF carries no signature.")


def test_garbage_is_reported_invalid_not_raised(identity: SigningIdentityPaths) -> None:
    result = verify_pdf(b"%PDF-1.7\nnot really", trust_roots=[identity.ca_cert.read_bytes()])

    assert (result.valid, result.intact) == (False, False)


def test_second_render_and_sign_differs_only_in_the_signature(
    unsigned: bytes, signed: bytes, identity: SigningIdentityPaths
) -> None:
    again = sign(render(), identity)

    assert again[: len(unsigned)] == signed[: len(unsigned)] == unsigned
    assert signature_revision(again) == signature_revision(signed)
    assert again != signed
    assert verify_pdf(again, trust_roots=[identity.ca_cert]).valid


def signature_revision(pdf: bytes) -> dict[int, str]:
    """The objects of the last revision, minus what depends on the signing moment.

    That is the signature value (/Contents) and its /ByteRange (the XMP compresses to a different
    length), the signing time (/M, Info /ModDate, xmp:ModifyDate) and the cross-reference stream.
    """
    reader = PdfFileReader(io.BytesIO(pdf))
    objects = {}
    for ref in reader.xrefs.explicit_refs_in_revision(reader.xrefs.total_revisions - 1):
        obj = reader.get_object(ref)
        if isinstance(obj, generic.StreamObject):
            if obj.get("/Type") == "/XRef":
                continue
            objects[ref.idnum] = re.sub(r'xmp:ModifyDate="[^"]*"', "", obj.data.decode())
        else:
            volatile = {"/Contents", "/ByteRange", "/M"} if obj.get("/Type") == "/Sig" else {"/ModDate"}
            objects[ref.idnum] = repr({key: value for key, value in obj.items() if key not in volatile})
    return objects


def test_wrong_passphrase_is_a_signing_error(unsigned: bytes, identity: SigningIdentityPaths) -> None:
    with pytest.raises(DossierSigningError, match="Could not load the signing key"):
        sign_pdf(unsigned, p12_path=identity.signer_p12, passphrase="wrong", reason="r", location="l")


def test_dev_identity_key_file_is_private(identity: SigningIdentityPaths) -> None:
    assert identity.signer_p12.stat().st_mode & 0o077 == 0
    assert identity.ca_cert.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")


class TestCreateSigningCertCommand:
    @pytest.fixture
    def p12_path(self, settings: Settings, tmp_path: Path) -> Path:
        path = tmp_path / "signing" / "dossier.p12"
        settings.DOSSIER_SIGNING_P12 = path
        settings.DOSSIER_SIGNING_PASSPHRASE = PASSPHRASE
        return path

    def test_creates_a_ca_and_a_p12_that_sign_verifiably(
        self, p12_path: Path, unsigned: bytes, capsys: pytest.CaptureFixture[str]
    ) -> None:
        call_command("create_signing_cert")

        ca_path = p12_path.with_name("ca.pem")
        assert str(p12_path) in capsys.readouterr().out
        signed = sign(unsigned, SigningIdentityPaths(ca_cert=ca_path, signer_p12=p12_path))
        assert verify_pdf(signed, trust_roots=[ca_path]).valid

    def test_is_idempotent(self, p12_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        call_command("create_signing_cert")
        before = (p12_path.read_bytes(), p12_path.with_name("ca.pem").read_bytes())
        capsys.readouterr()

        call_command("create_signing_cert")

        assert "nothing written" in capsys.readouterr().out
        assert (p12_path.read_bytes(), p12_path.with_name("ca.pem").read_bytes()) == before

    def test_force_replaces_both_files(self, p12_path: Path) -> None:
        call_command("create_signing_cert")
        before = p12_path.with_name("ca.pem").read_bytes()

        call_command("create_signing_cert", "--force")

        assert p12_path.with_name("ca.pem").read_bytes() != before

    def test_refuses_to_overwrite_a_lone_p12(self, p12_path: Path) -> None:
        p12_path.parent.mkdir(parents=True)
        p12_path.write_bytes(b"a production key")

        with pytest.raises(CommandError, match="Pass --force"):
            call_command("create_signing_cert")

        assert p12_path.read_bytes() == b"a production key"
        assert not p12_path.with_name("ca.pem").exists()

    def test_out_writes_elsewhere(self, p12_path: Path, tmp_path: Path) -> None:
        call_command("create_signing_cert", "--out", str(tmp_path / "elsewhere"))

        assert {path.name for path in (tmp_path / "elsewhere").iterdir()} == {"dossier.p12", "ca.pem"}
        assert not p12_path.exists()
