"""The audit history (django-simple-history), kept in the language of the record.

`tracked` tags an object so the history row its next save writes names who acted and why. The
why is stored in a language-independent form — the Vietnamese source text of the message (the
catalogue's msgid) with its parameters, as JSON — and `describe` shows it in the reader's
language. `history_rows` turns history records into the rows a history page shows.
"""
