### Names CLDR lacks for languages listings are offered in, in English (the rest come from CLDR).

kar = Karen
