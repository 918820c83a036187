"""What follows a decision: issuing, PDF, QR, signing, verification, the public registry and its API.

The dependency runs one way: this package imports :mod:`voting` freely, and :mod:`voting` reaches it
only through the app factory's single call to :func:`init_app`, which wires everything of this
package into the app explicitly (nothing here registers itself on import).
"""


def init_app(app):
    """Put the models on the metadata; register the blueprints, CLI commands, session listeners, job
    tasks, scan counter, the certification port (:mod:`voting.rules.certification`) and the demo's parts."""
    from certificates import models  # noqa: F401  (the certificates' tables on the app's metadata)
    from certificates.certification import PlatformCertification
    from certificates.cli import certificates_cli
    from certificates.code_labels import register_labels
    from certificates.demo import init_demo
    from certificates.jobs import register_tasks
    from certificates.registry.cli import registry_cli
    from certificates.registry.index import keep_current
    from certificates.scans import init_scans
    from certificates.views import api, gs1, imports, manage, oversight, registry, reports, verify
    from voting.rules.certification import provide

    for package in (registry, verify, manage, api, oversight, gs1, imports, reports):
        app.register_blueprint(package.blueprint)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(registry_cli)
    keep_current()
    register_tasks()
    init_scans(app)
    register_labels(app)  # template filters for the certificates' codes
    provide(app, PlatformCertification())  # what voting's rules ask of certification
    init_demo(app)
