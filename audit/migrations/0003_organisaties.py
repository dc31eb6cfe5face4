"""Actions on partner organisations proposed in an agreement: confirmed, merged, rejected (issue 26 item 5)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_admin_en_laden'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditregel',
            name='actie',
            field=models.CharField(choices=[('pdf_gemaakt', 'PDF gemaakt'), ('ter_ondertekening', 'Aangeboden ter ondertekening'), ('ondertekend', 'Ondertekend'), ('afgewezen', 'Ondertekening afgewezen'), ('verzegeld', 'Verzegeld'), ('taak_mislukt', 'Taak mislukt'), ('gedownload', 'Gedownload'), ('geverifieerd', 'Geverifieerd'), ('nieuwe_versie', 'Nieuwe versie gestart'), ('gegevens_geladen', 'Gegevens geladen'), ('tweede_factor', 'Tweede factor'), ('meting_vastgelegd', 'Meting vastgelegd'), ('admin_toegevoegd', 'Toegevoegd in het beheer (admin)'), ('admin_gewijzigd', 'Gewijzigd in het beheer (admin)'), ('admin_verwijderd', 'Verwijderd in het beheer (admin)'), ('organisatie_bevestigd', 'Voorgestelde organisatie bevestigd'), ('organisatie_samengevoegd', 'Voorgestelde organisatie samengevoegd'), ('organisatie_afgewezen', 'Voorgestelde organisatie afgewezen')], max_length=30),
        ),
    ]
