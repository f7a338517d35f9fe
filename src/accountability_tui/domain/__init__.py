"""The domain: the vocabulary (models, records, errors) and the rules that need no database (timeframes, mechanisms,
cleaning). Plain Python: no SQL, no Textual."""
