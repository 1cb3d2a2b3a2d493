"""Sign the dossier PDF (PAdES baseline-B, pyHanko 0.38), verify it, and mint a development signing identity.

Signing appends an incremental update, so the rendered PDF/A-3 bytes stay untouched and form the
prefix of the signed file. The signature is invisible: a zero-size widget with the print flag set
(pyHanko's default, which is what PDF/A asks of annotations) and no appearance stream, so no font
is added. pyHanko also refreshes /ModDate and /Producer in both the Info dictionary and the XMP
packet, keeping the two in step as PDF/A requires; the ``pdfaid`` identification survives.

No timestamp authority is used (B-B, not B-T): the signing time is the one the signer claims.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

T = TypeVar("T")

logger = logging.getLogger(__name__)

CA_CERT_FILENAME = "ca.pem"
DEFAULT_FIELD_NAME = "IssuerSignature"


class DossierSigningError(Exception):
    """The dossier could not be signed (bad key file, wrong passphrase, unreadable PDF)."""


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of checking the latest signature in a PDF.

    ``valid`` is the overall verdict: the signed bytes are unchanged (``intact``), the signature value
    checks out against the signer's certificate, that certificate chains to one of the trust roots,
    and any later incremental update is one pyHanko's diff policy allows. ``summary`` says why not.
    """

    valid: bool
    intact: bool
    trusted: bool
    signer_subject: str
    signed_at: dt.datetime | None
    covers_whole_document: bool
    summary: str


@dataclass(frozen=True)
class SigningIdentityPaths:
    ca_cert: Path
    signer_p12: Path


def outside_event_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one of pyHanko's synchronous wrappers, which start their own event loop with
    asyncio.run(): where this thread already runs a loop (an ASGI server, a browser driver),
    do it on a short-lived worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(
    pdf_bytes: bytes,
    *,
    p12_path: Path | str,
    passphrase: str | bytes | None,
    reason: str,
    location: str,
    field_name: str = DEFAULT_FIELD_NAME,
) -> bytes:
    """Add an invisible PAdES B-B signature (SHA-256) as an incremental update; return the signed PDF."""
    signer = load_signer(p12_path, passphrase)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        output = outside_event_loop(signers.sign_pdf, writer, metadata, signer=signer)
    except (PdfError, SigningError) as error:
        raise DossierSigningError(f"Could not sign the PDF: {error}") from error
    return output.getvalue()


def load_signer(p12_path: Path | str, passphrase: str | bytes | None) -> signers.SimpleSigner:
    """The signer in a PKCS#12 file, with the CA certificates it carries (they go into the CMS)."""
    secret = passphrase.encode() if isinstance(passphrase, str) else passphrase
    try:
        data = Path(p12_path).read_bytes()
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=secret)
    except (OSError, ValueError) as error:
        raise DossierSigningError(f"Could not load the signing key from {p12_path}: {error}") from error


def verify_pdf(pdf_bytes: bytes, *, trust_roots: Iterable[Path | str | bytes]) -> VerificationResult:
    """Validate the most recent signature offline against the given root certificates (PEM or DER).

    A file too damaged to parse, or one without a signature, is reported invalid rather than raised:
    the caller asks "is this the dossier we signed?", and for such a file the answer is no.
    """
    roots = [certificate for source in trust_roots for certificate in load_certificates(source)]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes))
        signatures = reader.embedded_signatures
        if not signatures:
            return _invalid("The PDF carries no signature.")
        status = outside_event_loop(validate_pdf_signature, signatures[-1], signer_validation_context=context)
    except Exception as error:  # pyHanko raises many types on damaged files; all mean "not our dossier"
        logger.info("Signature verification failed to read the PDF", exc_info=True)
        return _invalid(f"The PDF or its signature could not be read: {error}")
    return VerificationResult(
        valid=status.bottom_line,
        intact=status.intact,
        trusted=status.trusted,
        signer_subject=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        summary=status.summary(),
    )


def load_certificates(source: Path | str | bytes) -> list[asn1_x509.Certificate]:
    """Certificates from a PEM/DER file path or PEM/DER bytes (a PEM may hold several)."""
    data = Path(source).read_bytes() if isinstance(source, (Path, str)) else source
    if pem.detect(data):
        return [
            asn1_x509.Certificate.load(der)
            for kind, _, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    return [asn1_x509.Certificate.load(data)]


def create_dev_signing_identity(
    out_dir: Path | str,
    *,
    common_name: str,
    passphrase: str,
    p12_filename: str = "signer.p12",
    now: dt.datetime | None = None,
) -> SigningIdentityPaths:
    """Write a throwaway root CA (``ca.pem``, certificate only) and a signer PKCS#12 issued by it.

    For development and tests only: the CA key is discarded, so nothing else can be issued under it,
    and verification trusts ``ca.pem``. Production supplies its own PKCS#12 and CA chain.
    """
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Filing Desk (development)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Filing Desk Development Root CA"),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    signer_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Filing Desk (development)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(signer_name)
        .issuer_name(ca_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # pyHanko requires non-repudiation (content commitment) on signer certificates by default.
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    paths = SigningIdentityPaths(ca_cert=directory / CA_CERT_FILENAME, signer_p12=directory / p12_filename)
    p12 = pkcs12.serialize_key_and_certificates(
        name=common_name.encode(),
        key=signer_key,
        cert=signer_cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    _write_private(paths.signer_p12, p12)
    paths.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return paths


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    # The key file is readable by its owner only, from the moment it exists.
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(data)


def _invalid(summary: str) -> VerificationResult:
    return VerificationResult(
        valid=False,
        intact=False,
        trusted=False,
        signer_subject="",
        signed_at=None,
        covers_whole_document=False,
        summary=summary,
    )
