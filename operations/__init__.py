"""Operating the installation: `manage.py backup` and `restore` (the whole database and every
uploaded file), and the full-precision JSON serializer they use."""
