"""A certificate's PDF signature: who signed it and when (PAdES)

Revision ID: 0023a_certificate_pdf_signature
Revises: 0022c_path_upward_indexes
Create Date: 2026-12-06 20:40:00

Issue 22: issuance signs a certificate's PDF with its authority's key where the authority signs on the server;
the verification page and the API say so; or an office signs the platform's PDF with its own tools and uploads
it, kept beside the platform's file and handed out in its place. Certificates issued before are unsigned (the
columns empty). The PDFs' SHA-256 indexed: the public check page finds a dropped PDF by it.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023a_certificate_pdf_signature'
down_revision = '0022c_path_upward_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate') as batch_op:
        batch_op.add_column(sa.Column('pdf_signed_by', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('pdf_signed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('signed_pdf_storage_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('signed_pdf_sha256', sa.String(length=64), nullable=True))
        batch_op.create_check_constraint(
            'signed_copy_known',
            "(signed_pdf_storage_name IS NULL) = (signed_pdf_sha256 IS NULL)"
            " AND (signed_pdf_storage_name IS NULL OR pdf_signed_by IS NOT NULL)")
        batch_op.create_check_constraint(
            'pdf_signature_with_pdf',
            "(pdf_signed_by IS NULL) = (pdf_signed_at IS NULL)"
            " AND (pdf_signed_by IS NULL OR pdf_storage_name IS NOT NULL)")
    # A PDF dropped on the public check page is found by its SHA-256.
    op.create_index('ix_certificate_pdf_sha256', 'certificate', ['pdf_sha256'], unique=False)
    op.create_index('ix_certificate_signed_pdf_sha256', 'certificate', ['signed_pdf_sha256'], unique=False)


def downgrade():
    op.drop_index('ix_certificate_signed_pdf_sha256', table_name='certificate')
    op.drop_index('ix_certificate_pdf_sha256', table_name='certificate')
    with op.batch_alter_table('certificate') as batch_op:
        batch_op.drop_constraint('signed_copy_known', type_='check')
        batch_op.drop_column('signed_pdf_sha256')
        batch_op.drop_column('signed_pdf_storage_name')
        batch_op.drop_constraint('pdf_signature_with_pdf', type_='check')
        batch_op.drop_column('pdf_signed_at')
        batch_op.drop_column('pdf_signed_by')
