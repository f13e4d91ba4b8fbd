"""Remove import uploads whose preview was never confirmed or cancelled (run from cron or the worker)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reporting.uploads import remove_expired_uploads


class Command(BaseCommand):
    help = "Tar bort uppladdade importfiler som är äldre än IMPORT_UPLOAD_MAX_AGE sekunder."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, default=None,
                            help=f"Ålder i sekunder (standard {settings.IMPORT_UPLOAD_MAX_AGE}).")

    def handle(self, *args, max_age=None, **options):
        removed = remove_expired_uploads(max_age=max_age)
        self.stdout.write(f"{removed} gamla importfiler borttagna.")
