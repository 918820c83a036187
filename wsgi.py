from voting import create_app
app = create_app()
