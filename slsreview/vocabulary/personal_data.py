"""Field names that carry personal data, and calls that hide what they are given.

The analyzers name request data by its path (``body.email``, ``body.customer.name``,
``headers.x-forwarded-for``, ``requestContext.http.sourceIp``); ``personal_field`` says which
kind of personal data a path's last part names. Matching is on the part lower-cased with ``_``
and ``-`` removed, so ``phone_number``, ``phoneNumber`` and ``phone-number`` are one word.

Kept precise on purpose: a bare ``name`` is personal only under a person-like parent
(``customer.name``, ``user.name``, ``shipping.name``), since ``body.name`` is as often a product,
a queue or a file; ``username`` and ``userId`` are identifiers a service logs to be debuggable
and are not listed; ``city`` or ``country`` alone identify nobody.

    >>> personal_field("body.customer.email"), personal_field("body.phoneNumber")
    ('email address', 'phone number')
    >>> personal_field("body.name"), personal_field("body.user.name"), personal_field("body.username")
    (None, 'name', None)
    >>> masking_call("mask_email"), masking_call("hashlib.sha256"), masking_call("json.dumps")
    (True, True, False)
"""

from __future__ import annotations

import re

# normalised word -> what it is, as a message says it
PERSONAL_FIELDS: dict[str, str] = {
    "email": "email address",
    "emailaddress": "email address",
    "mail": "email address",
    "phone": "phone number",
    "phonenumber": "phone number",
    "mobile": "phone number",
    "mobilenumber": "phone number",
    "telephone": "phone number",
    "msisdn": "phone number",
    "firstname": "name",
    "lastname": "name",
    "fullname": "name",
    "givenname": "name",
    "familyname": "name",
    "surname": "name",
    "middlename": "name",
    "displayname": "name",
    "cardholdername": "name",
    "address": "postal address",
    "streetaddress": "postal address",
    "street": "postal address",
    "addressline1": "postal address",
    "addressline2": "postal address",
    "line1": "postal address",
    "postcode": "postal address",
    "postalcode": "postal address",
    "zipcode": "postal address",
    "zip": "postal address",
    "billingaddress": "postal address",
    "shippingaddress": "postal address",
    "birthdate": "birth date",
    "dateofbirth": "birth date",
    "dob": "birth date",
    "birthday": "birth date",
    "card": "card details",
    "cardnumber": "card number",
    "ccnumber": "card number",
    "creditcard": "card number",
    "creditcardnumber": "card number",
    "pan": "card number",
    "cvv": "card security code",
    "cvc": "card security code",
    "cvv2": "card security code",
    "securitycode": "card security code",
    "iban": "bank account",
    "accountnumber": "bank account",
    "bankaccount": "bank account",
    "routingnumber": "bank account",
    "sortcode": "bank account",
    "ssn": "national id",
    "socialsecuritynumber": "national id",
    "nationalid": "national id",
    "nationalidentifier": "national id",
    "nino": "national id",
    "taxid": "national id",
    "passport": "national id",
    "passportnumber": "national id",
    "driverslicense": "national id",
    "driverlicense": "national id",
    "licensenumber": "national id",
    "ip": "IP address",
    "ipaddress": "IP address",
    "sourceip": "IP address",
    "sourceipaddress": "IP address",
    "clientip": "IP address",
    "remoteaddr": "IP address",
    "remoteaddress": "IP address",
    "xforwardedfor": "IP address",
    "xrealip": "IP address",
    "cfconnectingip": "IP address",
    "trueclientip": "IP address",
    "latitude": "location",
    "longitude": "location",
    "geolocation": "location",
    "gps": "location",
}
# A bare "name" (or "address") is a person's only under a parent like these.
PERSON_PARENTS = frozenset(
    {
        "user",
        "customer",
        "person",
        "contact",
        "recipient",
        "sender",
        "owner",
        "billing",
        "shipping",
        "profile",
        "member",
        "patient",
        "employee",
        "applicant",
        "buyer",
        "payer",
        "cardholder",
        "guest",
        "passenger",
        "traveler",
        "traveller",
        "student",
        "client",
    }
)
_NAME_WORDS = frozenset({"name"})

# A call whose name says it hides or reduces what it is given: data passed through one is not
# logged as it came.
MASKING_WORDS = frozenset(
    {
        "mask",
        "redact",
        "hash",
        "anonymize",
        "anonymise",
        "pseudonymize",
        "pseudonymise",
        "obfuscate",
        "truncate",
        "sanitize",
        "sanitise",
        "scrub",
        "censor",
        "digest",
        "hexdigest",
        "encrypt",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "blake2b",
        "hmac",
        "createhash",
        "createhmac",
        "len",
    }
)
_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _normal(part: str) -> str:
    return part.lower().replace("_", "").replace("-", "")


def personal_field(path: str) -> str | None:
    """What kind of personal data an event path's last part names, or None."""
    parts = [p for p in path.split(".") if p]
    if not parts:
        return None
    last = _normal(parts[-1])
    if last in PERSONAL_FIELDS:
        return PERSONAL_FIELDS[last]
    parent = _normal(parts[-2]) if len(parts) > 1 else ""
    if last in _NAME_WORDS and parent in PERSON_PARENTS:
        return "name"
    return None


def masking_call(callee: str) -> bool:
    """True when a callee's own name (its last part, split into words) says it hides its input:
    ``mask_email``, ``redactSecrets``, ``hashlib.sha256``, ``crypto.createHash``."""
    last = callee.rsplit(".", 1)[-1]
    words = [w for w in _SPLIT.split(_CAMEL.sub("_", last).lower()) if w]
    return _normal(last) in MASKING_WORDS or any(word in MASKING_WORDS for word in words)
