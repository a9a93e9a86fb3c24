"""Vietnamese text, numbers and dates, as the product stores, searches, shows and reads them.

The lowest floor: it imports nothing of the project. `text` (NFC storage, diacritic-free search
keys, Vietnamese name order), `fields` (model fields that store NFC), `numbers` (the one number
formatter: decimal comma, no trailing zeros), `dates` (dates as forms and documents write them),
`forms` (form fields that read dates and numbers as Vietnamese users type them).
"""
