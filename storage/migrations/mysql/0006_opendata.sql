-- Reserved for opendata: catalogs, datasets, distributions.
SELECT 1;
