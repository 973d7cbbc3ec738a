"""Pure helpers with no models: they import nothing from Django's ORM."""
