// Opening hours are read in the process's local time zone: the product runs in Europe/Paris.
process.env.TZ = 'Europe/Paris';
