"""The monthly information-service report (Laporan Layanan Informasi DJPK) from the bot's data."""
