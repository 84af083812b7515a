"""Running Tandem for years (SPEC 15): backups that restore and an archive that needs no Tandem."""
