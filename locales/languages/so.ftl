### Magacyada luqadaha ee CLDR aanu lahayn (kuwa kale waxay ka yimaadaan CLDR). DRAFT.

kar = Kaaren
