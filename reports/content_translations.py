"""Load a language's texts for what readers see (fixtures/translations/<language>.yaml).

The Swedish is the source's words (fixtures/strategy.yaml and the others); a translation file
holds the follow-up's own translation, by natural key, and the pages say so. Only the
fields a file gives are written, so a translation made in the admin is kept where the file
has none; loading twice changes nothing.
"""

from actions.models import ActionPlan
from indicators.models import Category, Dimension, Indicator
from strategy.models import Goal, Organisation, Strategy, ViolenceType


def _write(obj, language, texts):
    changed = []
    for field, text in (texts or {}).items():
        name = f"{field}_{language}"
        value = str(text).strip()
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj.save(update_fields=changed)


def _each(model, entries, language, **lookup_of):
    """`entries` maps a natural key to texts; `lookup_of` names the key's field."""
    (field,) = lookup_of.values()
    objects = model.objects.in_bulk([str(k) for k in entries or {}], field_name=field)
    for key, texts in (entries or {}).items():
        obj = objects.get(str(key))
        if obj is None:
            raise ValueError(f"{model._meta.verbose_name} {key!r} finns inte (översättningsfilen).")  # sv-only: the loader's error, for operators
        _write(obj, language, texts)


def load(data):
    language = data["language"]
    _each(Strategy, data.get("strategy"), language, slug="slug")
    _each(ViolenceType, data.get("violence_types"), language, slug="slug")
    _each(Organisation, data.get("organisations"), language, slug="slug")
    _each(ActionPlan, data.get("plans"), language, slug="slug")
    _each(Dimension, data.get("dimensions"), language, code="code")
    _each(Indicator, data.get("indicators"), language, code="code")
    for strategy_slug, goals in (data.get("goals") or {}).items():
        by_number = {g.number: g for g in Goal.objects.filter(strategy__slug=strategy_slug)}
        for number, texts in goals.items():
            _write(by_number[int(number)], language, texts)
    for dimension_code, labels in (data.get("categories") or {}).items():
        by_code = {c.code: c for c in Category.objects.filter(dimension__code=dimension_code)}
        for code, label in labels.items():
            _write(by_code[str(code)], language, {"label": label})
