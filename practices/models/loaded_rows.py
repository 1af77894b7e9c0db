"""What the taxonomy loader last wrote to each register row, so that a later load can tell
a row nobody has touched (it may follow a changed data file) from one an editor has changed
(it is left alone). See practices/taxonomy_loader.py."""

from django.db import models


class LoadedRow(models.Model):
    """One row of practices/taxonomy_data/*.yaml as last loaded into the database."""

    model = models.CharField("register", max_length=60)  # e.g. "practices.municipality"
    key = models.CharField("nøkkel i datafilen", max_length=120)  # number, slug or «law:paragraph»
    object_id = models.PositiveIntegerField("rad")
    values = models.JSONField("verdier sist lastet inn")
    loaded_at = models.DateTimeField("sist lastet inn", auto_now=True)

    class Meta:
        verbose_name = "innlastet registerrad"
        verbose_name_plural = "innlastede registerrader"
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="unique_loaded_row")]

    def __str__(self):
        return f"{self.model} {self.key}"
