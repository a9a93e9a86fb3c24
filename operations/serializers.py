"""The JSON format of the portable backup: Django's, with times at full precision.

Django's JSON encoder cuts datetimes and times to milliseconds (ECMA-262). A backup must give
back exactly what was stored: a time with fewer than 1,000 microseconds came back as ".000",
written out the second time without a fraction at all. Read back by Django's own JSON
deserializer, which parses the full ISO 8601 form."""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = FullPrecisionEncoder
