"""Organisatie and Gebruiker move from regio to accounts; their tables keep their names (regio_organisatie,
regio_gebruiker and the user's regio_gebruiker_groups and regio_gebruiker_user_permissions).

State only: the database already has the tables. regio migration 0011 removes the old models from the state
once every foreign key points here. A database migrated before this move has the admin's and django-otp's
migrations applied, which now depend on this one: accounts.management.commands.migrate records it first.
"""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('regio', '0010_sessies_naar_gebruikerbackend'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Organisatie',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('naam', models.CharField(max_length=200)),
                        ('soort', models.CharField(choices=[('gemeente', 'Gemeente'), ('mbo_instelling', 'Mbo-instelling'), ('partner', 'Partner')], max_length=20)),
                        ('partner_soort', models.CharField(blank=True, choices=[('zorgverzekeraar', 'Zorgverzekeraar'), ('zorgaanbieder', 'Zorgaanbieder'), ('ggd', 'GGD'), ('jongerenwerk', 'Jongerenwerk'), ('landelijk', 'Landelijke organisatie'), ('anders', 'Anders')], max_length=20)),
                        ('gemeente', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='organisatie', to='regio.gemeente')),
                        ('instelling', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='organisatie', to='regio.mboinstelling')),
                    ],
                    options={
                        'db_table': 'regio_organisatie',
                        'verbose_name': 'organisatie',
                        'verbose_name_plural': 'organisaties',
                        'ordering': ['naam'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('gemeente__isnull', False), ('instelling__isnull', True), ('soort', 'gemeente')), models.Q(('gemeente__isnull', True), ('instelling__isnull', False), ('soort', 'mbo_instelling')), models.Q(('gemeente__isnull', True), ('instelling__isnull', True), ('soort', 'partner')), _connector='OR'), name='organisatie_soort_past_bij_koppeling')],
                    },
                ),
                migrations.CreateModel(
                    name='Gebruiker',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('password', models.CharField(max_length=128, verbose_name='password')),
                        ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                        ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                        ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                        ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                        ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                        ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                        ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                        ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                        ('rol', models.CharField(choices=[('beleidsmaker', 'Beleidsmaker'), ('bestuurder', 'Bestuurder'), ('beheerder', 'Beheerder')], default='beleidsmaker', max_length=20)),
                        ('organisatie', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='gebruikers', to='accounts.organisatie')),
                        ('functie', models.CharField(blank=True, help_text='Bijvoorbeeld wethouder of lid college van bestuur.', max_length=200)),
                        ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                        ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                    ],
                    options={
                        'db_table': 'regio_gebruiker',
                        'verbose_name': 'gebruiker',
                        'verbose_name_plural': 'gebruikers',
                    },
                    managers=[
                        ('objects', django.contrib.auth.models.UserManager()),
                    ],
                ),
            ],
        ),
    ]
