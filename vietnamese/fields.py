"""Model fields that store Vietnamese text NFC-normalized, whichever keyboard typed it."""

from django.db import models

from vietnamese.text import normalize_multiline, normalize_text


class NFCCharField(models.CharField):
    """A CharField stored NFC with white space collapsed; lookups are normalized the same way."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalize_text(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalize_text(value) if isinstance(value, str) else value


class NFCTextField(models.TextField):
    """A TextField stored NFC; line breaks are kept."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalize_multiline(value)
            setattr(model_instance, self.attname, value)
        return value
