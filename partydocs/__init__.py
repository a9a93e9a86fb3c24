"""The Party document layer: what makes a document of this system an issued, signed and
verifiable Party document, whatever it is about.

`numbering` (numbers per kind, issuer and congress term), `models` (the signature record),
`signing` (the signing act), `sealing` (the PAdES seal), `verification` (the verification code,
QR code and the check of an uploaded PDF), the document layout templates
(templates/partydocs/pdf/: page, header, signer block) and the public verification pages. It
knows organizations only through settings.BONTOT_ORGANIZATION_MODEL and signed documents only
through the questions they answer (partydocs.models); it imports no domain app.
"""
