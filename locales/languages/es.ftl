### Nombres de idiomas que CLDR no tiene (los demás vienen de CLDR).

kar = karen
