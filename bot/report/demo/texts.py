"""Words of the demo data: ticket summaries, instansi, names, unanswered questions, letters."""

from __future__ import annotations

# Summaries per topic; the first ones repeat often enough to be the report's "terkait" bullets.
SUMMARIES: dict[str, tuple[str, ...]] = {
    "DAU": (
        "Mekanisme dan format laporan syarat penyaluran DAU yang Ditentukan Penggunaannya "
        "Tahap I (PMK 211/PMK.07/2022)",
        "Penegasan kegiatan dan/atau subkegiatan yang dapat didanai dari DAU yang Ditentukan "
        "Penggunaannya",
        "Penyaluran DAU yang Tidak Ditentukan Penggunaannya bulan Februari",
        "Perhitungan alokasi DAU",
        "Konfirmasi status penyaluran DAU di KPPN",
    ),
    "DBH": (
        "Mekanisme pencairan Treasury Deposit Facility (TDF)",
        "Ketentuan pencatatan saldo dan remunerasi Treasury Deposit Facility (TDF) dalam LKPD",
        "Jadwal penyaluran DBH triwulan I",
        "Rincian alokasi DBH Sumber Daya Alam",
        "Penggunaan DBH Cukai Hasil Tembakau",
    ),
    "PDRD": (
        "Konfirmasi pelaksanaan Bimbingan Teknis Penyusunan Raperda PDRD",
        "Evaluasi Raperda pajak daerah dan retribusi daerah",
        "Ketentuan opsen pajak daerah",
    ),
    "DAK Fisik": (
        "Batas waktu penyampaian dokumen penyaluran DAK Fisik tahap I",
        "Petunjuk teknis DAK Fisik TA 2023",
        "Input rencana kegiatan DAK Fisik di aplikasi",
    ),
    "DAK Non Fisik": (
        "Laporan realisasi DAK Non Fisik (PMK 204/PMK.07/2022)",
        "Penyaluran Dana BOS dan TPG",
    ),
    "Dana Desa": (
        "Penyaluran Dana Desa tahap I dan syaratnya",
        "Penggunaan Dana Desa untuk BLT Desa",
        "Pemutakhiran data jumlah desa (SE-1/PK/2023)",
    ),
    "JF AKPD": (
        "Formasi dan angka kredit JF Analis Keuangan Pusat dan Daerah",
        "Uji kompetensi JF AKPD",
    ),
    "SHSR": ("Besaran uang harian perjalanan dinas menurut Perpres 33/2020",),
    "Pembiayaan": ("Prosedur pinjaman daerah", "Persetujuan pembiayaan utang daerah"),
    "APBD": ("Akses Portal Data APBD", "Penyampaian data APBD melalui SIKD"),
    "Surat Masuk": (
        "Penyampaian surat permohonan dan konfirmasi tindak lanjutnya",
        "Konfirmasi penerimaan surat oleh DJPK",
    ),
    "Spam": ("Balasan WhatsApp Blast", "Pesan tanpa isi", "Pesan promosi"),
    "Non-DJPK": ("Permohonan EFIN", "Pertanyaan NPWP", "Pendaftaran CPNS"),
    "Reservasi": ("Permohonan jadwal konsultasi tatap muka", "Reservasi kunjungan ke DJPK"),
    "Permintaan Data": (
        "Permintaan data anggaran dan realisasi APBD untuk penelitian",
        "Permintaan data Transfer ke Daerah",
    ),
    "Pengaduan": (
        "Pengaduan pesan penipuan yang mengatasnamakan pegawai DJPK",
        "Pengaduan keterlambatan tanggapan surat",
    ),
    "Lainnya": ("Ucapan terima kasih", "Pertanyaan jam layanan", "Salam dan perkenalan"),
    "Video Conference": ("Permohonan video conference",),
}
PEMDA_UNITS = ("BPKAD", "BPKD", "Bappeda", "Inspektorat", "Sekretariat DPRD", "Dinas Pendidikan")
KL = (
    "Kementerian Dalam Negeri",
    "BPK RI",
    "BPKP",
    "Kementerian Desa PDTT",
    "Kanwil DJPb",
    "KPPN",
    "Bappenas",
    "Kementerian Kesehatan",
)
AKADEMISI = ("Mahasiswa Universitas Indonesia", "Mahasiswa UGM", "Mahasiswa PKN STAN", "Dosen")
LAINNYA = ("Pendamping Desa", "Wartawan", "Masyarakat", "Konsultan swasta", None)
NAMES = (
    "Andi",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hana",
    "Irfan",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Oktavia",
    "Putu",
    "Rizky",
    "Siti",
    "Teguh",
    "Wayan",
    "Yohanes",
)
# Unanswered questions by the unit whose FAQ entry came closest.
UNANSWERED: dict[str, tuple[str, ...]] = {
    "dana-transfer-umum": (
        "kapan dau earmark pendidikan tahap 2 cair",
        "format laporan penggunaan tdf untuk lkpd",
        "berapa alokasi dbh sawit kabupaten kami",
    ),
    "dana-transfer-khusus": (
        "apakah dak fisik bisa untuk bayar konsultan pengawas",
        "cara revisi rka dak di krisna setelah batas waktu",
    ),
    "pajak-daerah": ("tarif opsen pkb untuk kendaraan listrik",),
    "sekretariat": ("cara daftar magang di djpk", "alamat kantor djpk untuk kirim berkas fisik"),
    "evaluasi-informasi-keuangan-daerah": ("kenapa data apbd kami belum muncul di portal",),
    "pembiayaan-kapasitas-daerah": ("syarat pinjaman daerah ke pt smi",),
}
GENUINE_NUMBERS = ("UND-41/PK.3/2023", "SE-1/PK/2023", "SE-1/PK.1/2023", "211/PMK.07/2022")
FAKE_NUMBERS = ("S-145/PK/2023", "UND-12/PK/2023", "UND-107/PK/2019", "S-77/PK.2/2023")
