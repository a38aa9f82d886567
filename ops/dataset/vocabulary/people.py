"""People's names by language, honorifics, job titles and the titles of offices."""

# First and last names by language, romanised; "_" joins the words of one name.
PEOPLE = {
    "en": (
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Susan "
        "Richard Jessica Thomas Sarah Daniel Karen Matthew Emily Andrew Rachel Peter Claire",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
        "Martin Thompson White Harris Clark Lewis Walker Hall Young King Wright Scott",
    ),
    "es": (
        "José María Carmen Antonio Ana Manuel Laura Francisco Isabel Javier Lucía Carlos "
        "Elena Miguel Sofía Pablo Marta Alejandro Paula Diego Valentina Jorge Camila Luis",
        "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Ruiz "
        "Hernández Jiménez Díaz Moreno Álvarez Romero Navarro Torres Ramírez Castro Vargas",
    ),
    "pt": (
        "João Maria Ana Pedro Luís Beatriz Rafael Mariana Tiago Joana Gabriel Fernanda "
        "Lucas Juliana Mateus Carolina Bruno Larissa Rodrigo Inês",
        "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Souza Almeida "
        "Carvalho Gomes Lima Ribeiro Barbosa Araújo Mendes Cardoso Rocha Teixeira",
    ),
    "fr": (
        "Jean Marie Pierre Sophie Michel Nathalie Philippe Isabelle Alain Camille Nicolas "
        "Claire Julien Émilie Laurent Céline Olivier Aurélie Fatou Mamadou Amina Youssef",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
        "Lefebvre Michel Garcia Diop Ndiaye Benali Haddad Mercier Girard Bonnet",
    ),
    "de": (
        "Thomas Anna Michael Julia Andreas Katharina Stefan Sabine Markus Laura Christian "
        "Lena Tobias Sarah Matthias Claudia Jan Nina Florian Monika",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch "
        "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Hofmann",
    ),
    "it": (
        "Marco Giulia Luca Francesca Andrea Chiara Alessandro Sara Matteo Elena Lorenzo "
        "Valentina Davide Martina Stefano Federica",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno "
        "Gallo Conti De_Luca Costa Giordano Mancini Rizzo",
    ),
    "nl": (
        "Jan Anna Pieter Sanne Kees Lotte Bram Eva Daan Femke Lars Iris Joost Marieke "
        "Willem Noor Thijs Anouk",
        "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Visser Smit Meijer de_Boer "
        "Mulder de_Groot Bos Vos Peters Hendriks Dekker Claes Peeters Maes",
    ),
    "nordic": (
        "Erik Anna Lars Maria Anders Karin Johan Sara Mikael Emma Henrik Ingrid Jonas "
        "Elin Mika Aino Kristian Sofie Martin Liisa",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsen Hansen Jensen Nielsen "
        "Pedersen Virtanen Korhonen Mäkinen Olsen Berg Lindqvist Tamm Saar",
    ),
    "pl": (
        "Piotr Anna Krzysztof Katarzyna Tomasz Agnieszka Paweł Magdalena Michał Ewa Jakub "
        "Zuzana Petr Jana László Eszter Marek Barbara",
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
        "Novák Svoboda Dvořák Nagy Kovács Tóth Szabó Horváth",
    ),
    "gr": (
        "Georgios Maria Dimitrios Eleni Konstantinos Katerina Nikolaos Sofia Ioannis Anna",
        "Papadopoulos Papadakis Georgiou Nikolaidis Oikonomou Karagiannis Vlachos "
        "Pappas Dimitriou Alexiou",
    ),
    "tr": (
        "Mehmet Ayşe Mustafa Fatma Ahmet Zeynep Ali Elif Emre Merve Can Selin Burak Deniz",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan",
    ),
    "zh": (
        "Wei Fang Lei Na Jun Min Tao Jing Qiang Li Yong Xin Hao Yan Ming Hui Jie Ling Chen "
        "Yu Zhen Ping",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo",
    ),
    "ja": (
        "Hiroshi Yuki Takashi Keiko Kenji Akiko Satoshi Naoko Daisuke Yumi Kazuo Haruka "
        "Takeshi Emi Ryo Aya",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato "
        "Yoshida Yamada Sasaki Matsumoto Inoue Kimura",
    ),
    "ko": (
        "Min-jun Seo-yeon Ji-hoon Ji-woo Hyun-woo Soo-jin Jae-won Eun-ji Sung-ho Hye-jin "
        "Dong-hyun Yoon-ah",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin",
    ),
    "in": (
        "Aarav Priya Rahul Ananya Vikram Kavya Arjun Sneha Rohan Divya Sanjay Lakshmi "
        "Amit Pooja Suresh Meera",
        "Sharma Patel Singh Kumar Reddy Iyer Nair Gupta Rao Mehta Joshi Desai Menon Bose",
    ),
    "sea": (
        "Somchai Siti Budi Nguyen Anh Putri Ahmad Nur Thanh Mei Wira Dewi Rizal Mai Arif "
        "Lan Maria Jose",
        "Tan Lim Wong Nguyen Tran Le Pham Santoso Wijaya Rahman Abdullah Ismail Hassan "
        "Chaiyaporn Srisuk Reyes Santos Cruz",
    ),
    "ar": (
        "Mohammed Fatima Ahmed Aisha Omar Layla Khalid Noor Youssef Mariam Hassan Sara "
        "Ali Huda Tariq Rania Karim Salma",
        "Al-Saud Al-Mansouri Haddad Khalil Nasser Hamdan Al-Farsi Saleh Mahmoud Ibrahim "
        "Aziz Rahman Al-Qahtani Al-Amin Farouk El-Sayed",
    ),
    "af_west": (
        "Chinedu Ngozi Kwame Ama Oluwaseun Adaeze Kofi Abena Emeka Funmilayo Yaw Efua Tunde Aisha",
        "Okafor Adeyemi Mensah Boateng Okonkwo Balogun Owusu Asante Eze Nwosu Adebayo Danso",
    ),
    "af_east": (
        "Wanjiru Kamau Achieng Otieno Amani Baraka Neema Juma Abebe Tigist Mugisha Grace "
        "Eric Aline",
        "Mwangi Ochieng Njoroge Kiprono Wafula Mutua Tesfaye Bekele Uwimana Habimana Nakato Mushi",
    ),
}

HONORIFICS = [("", 45), ("Dr", 25), ("Prof.", 10), ("Ms", 10), ("Mr", 10)]

JOB_TITLES = [
    "Director of Innovation",
    "Head of International Relations",
    "Project Manager",
    "Professor of Engineering",
    "Business Development Manager",
    "Chief Technology Officer",
    "Incubator Manager",
    "Policy Advisor",
    "Research Fellow",
    "Communications Manager",
    "Head of Technology Transfer",
    "Programme Officer",
    "Innovation Consultant",
    "Startup Programme Lead",
    "Deputy Director",
]

OFFICE_TITLES = ["CEO", "Director", "Managing Director", "General Manager", "Executive Director"]
ASSOCIATION_BOARD = [
    "President",
    "Vice-President",
    "Vice-President",
    "Treasurer",
    "Board member",
    "Board member",
    "Board member",
]
DIVISION_BOARD = ["Division Chair", "Division Vice-Chair"]
