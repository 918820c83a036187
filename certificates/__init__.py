"""What follows a decision: issuing, PDF, QR, signing, verification, the public registry and its API.

The dependency runs one way: this package imports :mod:`voting` freely, and :mod:`voting` reaches it
only through the app factory's single call to :func:`init_app`, which wires everything of this
package into the app explicitly (nothing here registers itself on import).
"""


def init_app(app):
    """Put the models on the metadata; register the blueprints, CLI commands, session listeners, job
    tasks, scan counter, the certification port (:mod:`voting.rules.certification`) and the demo's parts."""
    from certificates import models  # noqa: F401  (the certificates' tables on the app's metadata)
    from certificates.views import api as registry_api, registry_records as registry_pages
    from certificates.certification import PlatformCertification
    from certificates.cli import certificates_cli
    from certificates.code_labels import register_labels
    from certificates.demo import init_demo
    from certificates.views.imports import blueprint as imports_blueprint
    from certificates.jobs import register_tasks
    from certificates.views.manage import blueprint as manage_blueprint
    from certificates.views.oversight import blueprint as oversight_blueprint
    from certificates.registry.index import keep_current, registry_cli
    from certificates.scans import init_scans
    from certificates.views.verify import blueprint as verify_blueprint
    from certificates.views.registry import blueprint as registry_blueprint
    from voting.rules.certification import provide

    for blueprint in (registry_blueprint, verify_blueprint, manage_blueprint, registry_api.blueprint,
                      oversight_blueprint, registry_pages.gs1_blueprint, imports_blueprint):
        app.register_blueprint(blueprint)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(registry_cli)
    keep_current()
    register_tasks()
    init_scans(app)
    register_labels(app)  # template filters for the certificates' codes
    provide(app, PlatformCertification())  # what voting's rules ask of certification
    init_demo(app)
