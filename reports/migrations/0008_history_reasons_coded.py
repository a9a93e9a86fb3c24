"""History in the language of the record (docs/architecture.md, "History"): the reasons kept
in the audit history were stored as the actor's interface showed them, in Vietnamese or in
English. They become the coded form `audit.reasons` writes — the message's Vietnamese source text
and its parameters, {"m": …, "p": {…}} — and are shown in each reader's language.

A stored reason is matched against each message of the release before this one, in Vietnamese
and in English (the templates below are frozen here, as a migration must be); a reason that
matches none (typed by hand, or older) is left as it was and is shown as it is. On PostgreSQL the
history is append-only (reports/0003): the trigger is switched off for this migration only.
Backwards, every coded reason is written back as its Vietnamese text.
"""

import json
import re

from django.db import migrations

OUR_APPS = {"branches", "criteria", "pledges", "reports"}
PREFIX = '{"m":'

# (Vietnamese source text, English text) of every reason the previous release wrote.
TEMPLATES = [
    ["Ban hành", "Issue"],
    ["Ban hành báo cáo", "Report issued"],
    ["Bắt đầu sinh hoạt", "Joined the branch"],
    ["Bổ nhiệm", "Appointed"],
    ["Chuyển sinh hoạt đến %(branch)s", "Transferred to %(branch)s"],
    ["Chuyển từ %(old)s sang %(new)s", "Moved from %(old)s to %(new)s"],
    ["Chuyển đến", "Transferred in"],
    ["Chọn tổ chức thực hiện", "Choose implementing organizations"],
    ["Chốt kết quả", "Finalize results"],
    ["Cấp ủy xác nhận", "Accepted by the committee"],
    ["Ghi kỳ sinh hoạt", "Record a meeting"],
    ["Ghi nhận ngoại lệ", "Record exception"],
    ["Gia hạn", "Extend deadline"],
    ["Gắn tài khoản", "Account linked"],
    ["Hoạt động trở lại", "Reactivated"],
    ["Ký cam kết", "Sign the pledge"],
    ["Ký và nộp bản tự đánh giá", "Sign and submit the self-assessment"],
    ["Kết thúc", "End"],
    ["Kết thúc nhiệm vụ", "Term ended"],
    ["Mở bản tự đánh giá", "Self-assessment opened"],
    ["Ngừng hoạt động", "Deactivated"],
    ["Nhập từ tệp", "Import from file"],
    ["Phân quyền", "Assign roles"],
    ["Rút đăng ký: %(reason)s", "Registration withdrawn: %(reason)s"],
    ["Sao chép từ kế hoạch %(number)s", "Copied from plan %(number)s"],
    ["Sửa kế hoạch", "Edit plan"],
    ["Sửa kỳ sinh hoạt", "Edit meeting"],
    ["Sửa mức cam kết", "Pledged targets edited"],
    ["Sửa thông tin", "Details edited"],
    ["Sửa tiêu chí", "Edit criterion"],
    ["Sửa đổi tiêu chí: %(reason)s", "Criteria amended: %(reason)s"],
    ["Thu hồi quyền", "Role revoked"],
    ["Thẩm định", "Assessment"],
    ["Trả lại: %(reason)s", "Returned: %(reason)s"],
    ["Tạo bản sửa đổi lần %(n)s", "Amendment %(n)s created"],
    ["Tạo dự thảo", "Create draft"],
    ["Tạo dự thảo quyết định", "Create draft decision"],
    ["Tạo mới", "Created"],
    ["Tạo tài khoản", "Account created"],
    ["Tạo từ mẫu", "Created from template"],
    ["Tự đánh giá", "Self-assessment"],
    ["Xóa kỳ sinh hoạt", "Delete meeting"],
    ["Xếp loại: %(column)s", "Rating: %(column)s"],
    ["Đăng ký", "Register"],
    ["Đăng ký muộn: %(reason)s", "Late registration: %(reason)s"],
    ["Được thay bằng bản sửa đổi lần %(n)s", "Superseded by amendment %(n)s"],
    ["Đề nghị", "Proposed"],
    # A nomination's decision kept its status label as the reason.
    ["Được công nhận", "Recognized"],
    ["Không công nhận", "Not recognized"],
]


def _pattern(template: str):
    names = re.findall(r"%\((\w+)\)s", template)
    body = re.escape(template)
    for name in names:
        body = body.replace(re.escape(f"%({name})s"), f"(?P<{name}>.+?)", 1)
    return re.compile(f"^{body}$", re.DOTALL), names


# Messages without parameters first: "Ban hành" must not be read as a parameter of another.
PATTERNS = sorted(
    [(vi, *_pattern(text)) for vi, en in TEMPLATES for text in (vi, en)],
    key=lambda item: len(item[2]),
)


def encode(text: str) -> str | None:
    for message, pattern, names in PATTERNS:
        match = pattern.match(text)
        if match:
            data = {"m": message}
            if names:
                data["p"] = {name: match.group(name) for name in names}
            return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return None


def _text(data) -> str:
    if isinstance(data, dict):
        params = {name: _text(value) for name, value in data.get("p", {}).items()}
        return data["m"] % params if params else data["m"]
    return str(data)


def decode(stored: str) -> str:
    try:
        return _text(json.loads(stored))
    except (ValueError, KeyError, TypeError):
        return stored


def history_models(apps):
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and model.__name__.startswith("Historical")
        and any(field.name == "history_change_reason" for field in model._meta.fields)
    ]


BATCH = 2000


def _rewrite(apps, schema_editor, convert) -> None:
    """One pass over each history table in primary-key order, rows rewritten in batches."""
    postgres = schema_editor.connection.vendor == "postgresql"
    for model in history_models(apps):
        table = model._meta.db_table
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER history_append_only")
        rows = (
            model.objects.exclude(history_change_reason__isnull=True)
            .exclude(history_change_reason="")
            .order_by("pk")
            .values_list("pk", "history_change_reason")
        )
        changed = []
        for pk, old in rows.iterator(chunk_size=BATCH):
            new = convert(old)
            if new is not None and new != old:
                changed.append(model(pk=pk, history_change_reason=new))
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["history_change_reason"])
                changed = []
        if changed:
            model.objects.bulk_update(changed, ["history_change_reason"])
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER history_append_only")


def forward(apps, schema_editor):
    _rewrite(apps, schema_editor, lambda old: None if old.startswith(PREFIX) else encode(old))


def backward(apps, schema_editor):
    _rewrite(apps, schema_editor, lambda old: decode(old) if old.startswith(PREFIX) else None)


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0003_membercount"),
        ("criteria", "0001_initial"),
        ("pledges", "0004_signature_moved_to_partydocs"),
        ("reports", "0007_dataversion_moved_to_caching"),
    ]

    operations = [migrations.RunPython(forward, backward)]
