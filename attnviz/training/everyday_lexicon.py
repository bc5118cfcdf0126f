"""The hand-written bilingual lexicon of the everyday grammar (attnviz.training.everyday).

Each table is a block of lines, fields separated by "|". Spanish inflection (plurals, feminine
forms, verb tenses) is not written here: it comes from Apertium's Spanish generator, with rules
of our own as the fallback.
"""

from __future__ import annotations

# English singular | English plural ("-": a mass noun, "": regular plural) | Spanish singular
# (optionally "singular/plural") | gender (m, f; "fa": feminine taking "el", as in el agua)
# | classes (space separated)
NOUNS = """
apple||manzana|f|food fruit
bread|-|pan|m|food
cake||pastel|m|food
cheese|-|queso|m|food
chicken|-|pollo|m|food
egg||huevo|m|food
fish|-|pescado|m|food
rice|-|arroz|m|food
soup|-|sopa|f|food
pizza||pizza|f|food
sandwich|sandwiches|sándwich/sándwiches|m|food
salad||ensalada|f|food
orange||naranja|f|food fruit
banana||plátano|m|food fruit
cookie||galleta|f|food
meat|-|carne|f|food
tomato|tomatoes|tomate|m|food
pasta|-|pasta|f|food
chocolate|-|chocolate|m|food
ice cream|-|helado|m|food
strawberry|strawberries|fresa|f|food fruit
carrot||zanahoria|f|food
pear||pera|f|food fruit
sausage||salchicha|f|food
coffee|-|café|m|drink
tea|-|té|m|drink
water|-|agua|fa|drink
milk|-|leche|f|drink
wine|-|vino|m|drink
beer|-|cerveza|f|drink
lemonade|-|limonada|f|drink
cat||gato|m|animal pet
dog||perro|m|animal pet
bird||pájaro|m|animal pet
horse||caballo|m|animal
cow||vaca|f|animal
rabbit||conejo|m|animal pet
mouse|mice|ratón|m|animal
duck||pato|m|animal
elephant||elefante|m|animal
lion||león|m|animal
tiger||tigre|m|animal
bear||oso|m|animal
sheep|sheep|oveja|f|animal
pig||cerdo|m|animal
monkey||mono|m|animal
snake||serpiente|f|animal
frog||rana|f|animal
turtle||tortuga|f|animal pet
spider||araña|f|animal
man|men|hombre|m|person
woman|women|mujer|f|person
boy||niño|m|person
girl||niña|f|person
child|children|niño|m|person
teacher||profesor|m|person
doctor||médico|m|person
student||estudiante|m|person
friend||amigo|m|person kin
neighbour||vecino|m|person
brother||hermano|m|person kin
sister||hermana|f|person kin
mother||madre|f|person kin one
father||padre|m|person kin one
son||hijo|m|person kin
daughter||hija|f|person kin
grandmother||abuela|f|person kin one
grandfather||abuelo|m|person kin one
baby|babies|bebé|m|person
waiter||camarero|m|person
nurse||enfermera|f|person
driver||conductor|m|person
cook||cocinero|m|person
uncle||tío|m|person kin
aunt||tía|f|person kin
cousin||primo|m|person kin
boss|bosses|jefe|m|person one
park||parque|m|place outdoor
beach|beaches|playa|f|place outdoor
school||escuela|f|place
library|libraries|biblioteca|f|place
museum||museo|m|place
train station||estación de tren/estaciones de tren|f|place
airport||aeropuerto|m|place
hospital||hospital|m|place
restaurant||restaurante|m|place
market||mercado|m|place
supermarket||supermercado|m|place
bank||banco|m|place
church|churches|iglesia|f|place
cinema||cine|m|place
office||oficina|f|place
kitchen||cocina|f|place room
garden||jardín|m|place outdoor
shop||tienda|f|place openable
bakery|bakeries|panadería|f|place
pharmacy|pharmacies|farmacia|f|place
hotel||hotel|m|place
zoo||zoológico|m|place
swimming pool||piscina|f|place water
university|universities|universidad|f|place
mountain||montaña|f|place outdoor
river||río|m|place outdoor water
lake||lago|m|place outdoor water
forest||bosque|m|place outdoor
island||isla|f|place outdoor
village||pueblo|m|place
street||calle|f|place outdoor
square||plaza|f|place outdoor
bedroom||dormitorio|m|place room
bathroom||baño|m|place room
living room||salón|m|place room
gym||gimnasio|m|place
stadium||estadio|m|place
bus stop||parada de autobús/paradas de autobús|f|place
table||mesa|f|thing furniture surface
chair||silla|f|thing furniture surface
bed||cama|f|thing furniture surface
sofa||sofá|m|thing furniture surface
lamp||lámpara|f|thing furniture
book||libro|m|thing readable openable
pen||bolígrafo|m|thing small
pencil||lápiz|m|thing small
bag||bolsa|f|thing openable container
box|boxes|caja|f|thing openable container
key||llave|f|thing small
phone||teléfono|m|thing device
computer||computadora|f|thing device
clock||reloj|m|thing
umbrella||paraguas/paraguas|m|thing openable
cup||taza|f|thing fragile
glass|glasses|vaso|m|thing fragile
plate||plato|m|thing fragile
bottle||botella|f|thing openable
ball||pelota|f|thing toy
toy||juguete|m|thing toy
picture||cuadro|m|thing
photo||foto|f|thing
camera||cámara|f|thing device
gift||regalo|m|thing openable
letter||carta|f|thing readable openable writable askable
newspaper||periódico|m|thing readable
magazine||revista|f|thing readable
map||mapa|m|thing readable
window||ventana|f|thing openable fixed
door||puerta|f|thing openable fixed
television||televisión|f|thing device
mirror||espejo|m|thing fragile
wallet||cartera|f|thing small
ring||anillo|m|thing small
flower||flor|f|thing plant
tree||árbol|m|thing plant
fridge||nevera|f|thing openable fixed container
drawer||cajón|m|thing openable fixed container
story|stories|cuento|m|readable writable
poem||poema|m|readable writable
email||correo|m|readable writable askable
message||mensaje|m|readable writable askable
menu||menú|m|readable
novel||novela|f|readable writable
song||canción|f|song writable
film||película|f|watchable
game||partido|m|watchable
car||coche|m|vehicle
bus|buses|autobús|m|vehicle public
train||tren|m|vehicle public
bicycle||bicicleta|f|vehicle
plane||avión|m|vehicle public
boat||barco|m|vehicle
taxi||taxi|m|vehicle public
truck||camión|m|vehicle
shirt||camisa|f|clothing
dress|dresses|vestido|m|clothing
hat||sombrero|m|clothing
shoe||zapato|m|clothing
jacket||chaqueta|f|clothing
coat||abrigo|m|clothing
skirt||falda|f|clothing
sock||calcetín|m|clothing
scarf|scarves|bufanda|f|clothing
glove||guante|m|clothing
guitar||guitarra|f|instrument
piano||piano|m|instrument
violin||violín|m|instrument
question||pregunta|f|abstract askable
answer||respuesta|f|abstract
problem||problema|m|abstract
idea||idea|f|abstract
job||trabajo|m|abstract
lesson||lección|f|abstract
party|parties|fiesta|f|event
meeting||reunión|f|event
concert||concierto|m|event
trip||viaje|m|abstract
music|-|música|f|music
money|-|dinero|m|abstract
house||casa|f|building place
room||habitación|f|place room
"""

# English | Spanish (masculine singular) | copula: ser (a quality) or estar (a state)
# | noun classes it suits ("human" means people, "*" any) | "attr": also before a noun in English
ADJECTIVES = """
big|grande|ser|animal thing vehicle place building clothing|attr
small|pequeño|ser|animal thing vehicle place building clothing|attr
tall|alto|ser|human tree building|attr
short|bajo|ser|human|attr
long|largo|ser|readable watchable song river street|attr
new|nuevo|ser|thing vehicle clothing building readable|attr
old|viejo|ser|thing vehicle clothing building human animal|attr
young|joven|ser|human animal|attr
beautiful|bonito|ser|thing clothing place building animal plant|attr
ugly|feo|ser|thing clothing building|attr
expensive|caro|ser|thing vehicle clothing food drink|attr
cheap|barato|ser|thing vehicle clothing food drink|attr
easy|fácil|ser|abstract|attr
difficult|difícil|ser|abstract|attr
interesting|interesante|ser|readable watchable human abstract|attr
boring|aburrido|ser|readable watchable human event|attr
funny|gracioso|ser|human watchable readable animal|attr
kind|amable|ser|human|attr
intelligent|inteligente|ser|human animal|attr
friendly|simpático|ser|human animal|attr
important|importante|ser|abstract event readable human|attr
fast|rápido|ser|vehicle animal|attr
slow|lento|ser|vehicle animal|attr
strong|fuerte|ser|human animal|attr
heavy|pesado|ser|thing furniture|attr
red|rojo|ser|thing clothing vehicle fruit|attr
blue|azul|ser|thing clothing vehicle|attr
green|verde|ser|thing clothing vehicle fruit|attr
yellow|amarillo|ser|thing clothing vehicle fruit|attr
black|negro|ser|thing clothing vehicle animal|attr
white|blanco|ser|thing clothing vehicle animal|attr
brown|marrón|ser|thing clothing animal|attr
grey|gris|ser|thing clothing vehicle animal|attr
modern|moderno|ser|building vehicle device|attr
famous|famoso|ser|human place building|attr
dangerous|peligroso|ser|animal place|attr
honest|honesto|ser|human|attr
shy|tímido|ser|human|attr
lazy|perezoso|ser|human animal|attr
rich|rico|ser|human|attr
poor|pobre|ser|human|attr
polite|educado|ser|human|attr
brave|valiente|ser|human|attr
quiet|tranquilo|ser|place human|attr
delicious|delicioso|estar|food|
hot|caliente|estar|food drink|
cold|frío|estar|food drink|attr
clean|limpio|estar|thing clothing place|
dirty|sucio|estar|thing clothing place|attr
full|lleno|estar|thing|
empty|vacío|estar|thing place|attr
open|abierto|estar|openable|
closed|cerrado|estar|openable|
broken|roto|estar|thing vehicle|attr
ready|listo|estar|human food|
tired|cansado|estar|human|
happy|contento|estar|human|
sad|triste|estar|human|
angry|enfadado|estar|human|
worried|preocupado|estar|human|
busy|ocupado|estar|human|
sick|enfermo|estar|human animal|
bored|aburrido|estar|human|
nervous|nervioso|estar|human|
excited|emocionado|estar|human|
surprised|sorprendido|estar|human|
lost|perdido|estar|human animal|
married|casado|estar|human|
"""

# English base, third person, past, gerund | Spanish lemma | object: noun classes (space
# separated; "" for none) | English preposition before a place object (the others carry
# theirs in their forms: "listen to") | Spanish preposition before the object
# | flags: "subj=animal" animals may be the subject; "clitic" takes me/you/him... objects;
# "place" the object is a place (city/country or place noun)
VERBS = """
eat,eats,ate,eating|comer|food|||subj=animal
drink,drinks,drank,drinking|beber|drink|||subj=animal
cook,cooks,cooked,cooking|cocinar|food|||
buy,buys,bought,buying|comprar|food drink small device toy clothing vehicle readable plant|||
sell,sells,sold,selling|vender|vehicle device furniture building|||
have,has,had,having|tener|pet vehicle small device toy|||
read,reads,read,reading|leer|readable|||
write,writes,wrote,writing|escribir|writable|||
open,opens,opened,opening|abrir|openable|||
close,closes,closed,closing|cerrar|openable|||
see,sees,saw,seeing|ver|person animal building|||clitic
watch,watches,watched,watching|ver|watchable|||
find,finds,found,finding|encontrar|small pet toy|||
lose,loses,lost,losing|perder|small|||
look for,looks for,looked for,looking for|buscar|small person|||clitic
wait for,waits for,waited for,waiting for|esperar|person public|||clitic
call,calls,called,calling|llamar|person|||clitic
help,helps,helped,helping|ayudar|person|||clitic
visit,visits,visited,visiting|visitar|person city|||clitic
know,knows,knew,knowing|conocer|person city|||clitic
clean,cleans,cleaned,cleaning|limpiar|room furniture vehicle|||
bring,brings,brought,bringing|traer|food drink small toy readable|||
carry,carries,carried,carrying|llevar|small container toy|||
take,takes,took,taking|tomar|public|||
drive,drives,drove,driving|conducir|vehicle|||
wash,washes,washed,washing|lavar|clothing vehicle|||
wear,wears,wore,wearing|llevar|clothing|||
draw,draws,drew,drawing|dibujar|animal plant building vehicle|||
fix,fixes,fixed,fixing|arreglar|device vehicle furniture|||
break,breaks,broke,breaking|romper|small device toy fragile|||
use,uses,used,using|usar|device|||
send,sends,sent,sending|enviar|writable|||
order,orders,ordered,ordering|pedir|food drink|||
learn,learns,learned,learning|aprender|language|||
study,studies,studied,studying|estudiar|language|||
speak,speaks,spoke,speaking|hablar|language|||
teach,teaches,taught,teaching|enseñar|language|||
understand,understands,understood,understanding|entender|language abstract person|||clitic
play,plays,played,playing|tocar|instrument|||
sing,sings,sang,singing|cantar|song|||
listen to,listens to,listened to,listening to|escuchar|song music person|||clitic
prepare,prepares,prepared,preparing|preparar|food|||
cut,cuts,cut,cutting|cortar|food|||
forget,forgets,forgot,forgetting|olvidar|small abstract|||
remember,remembers,remembered,remembering|recordar|person abstract|||clitic
kiss,kisses,kissed,kissing|besar|person|||clitic
hug,hugs,hugged,hugging|abrazar|person|||clitic
follow,follows,followed,following|seguir|person|||clitic
make,makes,made,making|hacer|food|||
try,tries,tried,trying|probar|food drink|||
paint,paints,painted,painting|pintar|furniture building fixed|||
answer,answers,answered,answering|responder|askable||a|
touch,touches,touched,touching|tocar|small device food fragile|||
go,goes,went,going|ir|place|to|a|place
come,comes,came,coming|venir|place event|to|a|place
arrive,arrives,arrived,arriving|llegar|place|at|a|place
travel,travels,travelled,travelling|viajar|city|to|a|place
live,lives,lived,living|vivir|city|in|en|place
work,works,worked,working|trabajar|place|in|en|place
sleep,sleeps,slept,sleeping|dormir||||subj=animal
run,runs,ran,running|correr||||subj=animal
swim,swims,swam,swimming|nadar||||subj=animal
walk,walks,walked,walking|caminar||||subj=animal
dance,dances,danced,dancing|bailar||||
cry,cries,cried,crying|llorar||||
laugh,laughs,laughed,laughing|reír||||
rest,rests,rested,resting|descansar||||
jump,jumps,jumped,jumping|saltar||||subj=animal
wait,waits,waited,waiting|esperar||||
want,wants,wanted,wanting|querer|food drink thing pet vehicle|||
need,needs,needed,needing|necesitar|food drink thing|||
hate,hates,hated,hating|odiar|person|||clitic
leave,leaves,left,leaving|salir||||
talk to,talks to,talked to,talking to|hablar|person||con|
think about,thinks about,thought about,thinking about|pensar|person abstract event||en|
"""

# First names with a gender (m/f), of many origins; surnames. WordNet adds more surnames.
FIRST_NAMES = """
m: John James Peter Michael David Thomas Daniel Paul Mark George Henry Jack Oliver Harry William
m: Charles Robert Richard Edward Samuel Benjamin Lucas Leo Max Felix Hugo Oscar Adam Simon Tom
m: Carlos Pablo Miguel Javier Diego Luis Jorge Andrés Mateo Santiago Alejandro Manuel Rafael
m: Pierre Louis Antoine Julien Mathieu Hans Klaus Jürgen Stefan Lukas Jonas Matteo Giovanni
m: Marco Luca Alessandro Lorenzo João Tiago Rui Piotr Tomasz Jakub Marek Ivan Dmitri Sergei
m: Nikolai Oleg Bogdan Andrei Mehmet Emre Ahmed Omar Youssef Karim Hassan Ali Tariq Rashid
m: Ravi Arjun Vikram Rahul Sanjay Hiroshi Kenji Takeshi Haruto Wei Jun Hao Minho Jisung
m: Kwame Kofi Chidi Tunde Jabari Olu Sipho Thabo Lars Erik Nils Sven Anders Mikko Aleksi
m: Liam Noah Ethan Aiden Connor Sean Declan Finn Rhys Dylan Kai Mateus Bruno Rodrigo Emilio
f: Anna Mary Emma Sarah Laura Lucy Alice Sophie Emily Olivia Grace Hannah Kate Jane Helen
f: Charlotte Amelia Chloe Ella Ruby Lily Megan Rachel Rebecca Susan Julia Claire Natalie Zoe
f: María Lucía Carmen Isabel Elena Sofía Paula Marta Ana Valentina Camila Daniela Gabriela
f: Marie Camille Chloé Juliette Amélie Léa Manon Greta Heidi Ingrid Katrin Leonie Mia Lena
f: Giulia Francesca Chiara Giorgia Beatriz Inês Mariana Agnieszka Katarzyna Magda Olga
f: Natasha Irina Svetlana Tatiana Ayşe Elif Zeynep Fatima Leila Yasmin Amira Nadia Salma
f: Priya Ananya Deepa Lakshmi Yuki Sakura Aiko Mei Ling Xiu Soyeon Jiwoo Amara Zara Ngozi
f: Ama Abena Thandiwe Nia Astrid Freya Sigrid Saara Aino Siobhan Niamh Aoife Maeve Isla Eva
"""

SURNAMES = """
Smith Johnson Brown Taylor Wilson Davies Evans Thomas Roberts Walker Wright Robinson Thompson
Garcia Martinez Rodriguez Lopez Hernandez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera
Gomez Diaz Morales Ortiz Castillo Romero Navarro Ruiz Moreno Silva Santos Oliveira Pereira
Costa Ferreira Almeida Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino
Greco Bruno Gallo Conti Martin Bernard Dubois Moreau Laurent Lefebvre Girard Bonnet Fontaine
Mercier Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz Koch
Kowalski Nowak Wiśniewski Wójcik Lewandowski Kamiński Zieliński Ivanov Petrov Smirnov Popov
Volkov Sokolov Novak Horvat Kovacs Nagy Szabo Yilmaz Kaya Demir Şahin Çelik Haddad Khalil
Nasser Mansour Khan Patel Sharma Singh Gupta Kumar Reddy Iyer Tanaka Suzuki Takahashi Sato
Watanabe Yamamoto Nakamura Kobayashi Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Kim Lee
Park Choi Jung Kang Nguyen Tran Pham Okafor Mensah Adeyemi Okonkwo Diallo Traore Keita Mbeki
Dlamini Ndlovu Hansen Johansson Andersson Nilsson Larsen Jensen Virtanen Korhonen Murphy
Kelly Byrne Walsh O'Brien MacDonald Campbell Stewart Fraser Jones Williams Hughes Lewis
"""

# English | Spanish | kind (city, country)
PLACES = """
London|Londres|city
Paris|París|city
New York|Nueva York|city
Rome|Roma|city
Berlin|Berlín|city
Madrid|Madrid|city
Barcelona|Barcelona|city
Seville|Sevilla|city
Lisbon|Lisboa|city
Moscow|Moscú|city
Tokyo|Tokio|city
Beijing|Pekín|city
Shanghai|Shanghái|city
Seoul|Seúl|city
Athens|Atenas|city
Vienna|Viena|city
Prague|Praga|city
Warsaw|Varsovia|city
Brussels|Bruselas|city
Geneva|Ginebra|city
Zurich|Zúrich|city
Munich|Múnich|city
Hamburg|Hamburgo|city
Cologne|Colonia|city
Florence|Florencia|city
Venice|Venecia|city
Milan|Milán|city
Naples|Nápoles|city
Copenhagen|Copenhague|city
Stockholm|Estocolmo|city
Edinburgh|Edimburgo|city
Dublin|Dublín|city
Amsterdam|Ámsterdam|city
Istanbul|Estambul|city
Bucharest|Bucarest|city
Budapest|Budapest|city
Oslo|Oslo|city
Helsinki|Helsinki|city
Mexico City|Ciudad de México|city
Buenos Aires|Buenos Aires|city
Lima|Lima|city
Bogota|Bogotá|city
Havana|La Habana|city
Rio de Janeiro|Río de Janeiro|city
Chicago|Chicago|city
Boston|Boston|city
Los Angeles|Los Ángeles|city
San Francisco|San Francisco|city
Philadelphia|Filadelfia|city
Toronto|Toronto|city
Montreal|Montreal|city
Sydney|Sídney|city
Bangkok|Bangkok|city
Cape Town|Ciudad del Cabo|city
New Delhi|Nueva Delhi|city
Spain|España|country
England|Inglaterra|country
France|Francia|country
Germany|Alemania|country
Italy|Italia|country
Portugal|Portugal|country
Japan|Japón|country
China|China|country
Russia|Rusia|country
Brazil|Brasil|country
Mexico|México|country
Canada|Canadá|country
Argentina|Argentina|country
Chile|Chile|country
Peru|Perú|country
Colombia|Colombia|country
Cuba|Cuba|country
Greece|Grecia|country
Turkey|Turquía|country
Egypt|Egipto|country
Morocco|Marruecos|country
India|India|country
Australia|Australia|country
Ireland|Irlanda|country
Scotland|Escocia|country
Wales|Gales|country
Sweden|Suecia|country
Norway|Noruega|country
Denmark|Dinamarca|country
Finland|Finlandia|country
Poland|Polonia|country
Switzerland|Suiza|country
Austria|Austria|country
Belgium|Bélgica|country
Hungary|Hungría|country
South Korea|Corea del Sur|country
Thailand|Tailandia|country
Kenya|Kenia|country
Nigeria|Nigeria|country
New Zealand|Nueva Zelanda|country
Iceland|Islandia|country
"""

# English | Spanish: greetings and everyday phrases, written whole.
PHRASES = """
Hello.|Hola.
Hi!|¡Hola!
Good morning.|Buenos días.
Good afternoon.|Buenas tardes.
Good evening.|Buenas tardes.
Good night.|Buenas noches.
Goodbye.|Adiós.
Bye!|¡Adiós!
See you later.|Hasta luego.
See you tomorrow.|Hasta mañana.
See you soon.|Hasta pronto.
See you on Monday.|Hasta el lunes.
Thank you.|Gracias.
Thanks!|¡Gracias!
Thank you very much.|Muchas gracias.
Thanks a lot.|Muchas gracias.
You're welcome.|De nada.
Please.|Por favor.
Yes, please.|Sí, por favor.
No, thank you.|No, gracias.
How are you?|¿Cómo estás?
How are you doing?|¿Qué tal?
I'm fine, thanks.|Estoy bien, gracias.
I'm fine, thank you. And you?|Estoy bien, gracias. ¿Y tú?
Very well, thank you.|Muy bien, gracias.
Not bad.|No está mal.
Nice to meet you.|Mucho gusto.
Nice to meet you too.|Igualmente.
What's your name?|¿Cómo te llamas?
What is your name?|¿Cómo te llamas?
Where are you from?|¿De dónde eres?
How old are you?|¿Cuántos años tienes?
I'm sorry.|Lo siento.
I am sorry.|Lo siento.
I'm very sorry.|Lo siento mucho.
Excuse me.|Perdón.
Sorry, I'm late.|Perdón, llego tarde.
No problem.|No hay problema.
Don't worry.|No te preocupes.
It doesn't matter.|No importa.
Happy birthday!|¡Feliz cumpleaños!
Merry Christmas!|¡Feliz Navidad!
Happy New Year!|¡Feliz Año Nuevo!
Congratulations!|¡Felicidades!
Good luck!|¡Buena suerte!
Have a nice day!|¡Que tengas un buen día!
Have a good trip!|¡Buen viaje!
Enjoy your meal!|¡Buen provecho!
Cheers!|¡Salud!
Welcome!|¡Bienvenido!
What time is it?|¿Qué hora es?
What day is it today?|¿Qué día es hoy?
What's the weather like?|¿Qué tiempo hace?
It's cold today.|Hoy hace frío.
It's hot today.|Hoy hace calor.
It's raining.|Está lloviendo.
It's snowing.|Está nevando.
I don't understand.|No entiendo.
I do not understand.|No entiendo.
I don't know.|No lo sé.
I don't know what to say.|No sé qué decir.
Do you speak English?|¿Hablas inglés?
Do you speak Spanish?|¿Hablas español?
I speak a little Spanish.|Hablo un poco de español.
Can you repeat that, please?|¿Puedes repetirlo, por favor?
Could you speak more slowly, please?|¿Podrías hablar más despacio, por favor?
What does this word mean?|¿Qué significa esta palabra?
How do you say this in Spanish?|¿Cómo se dice esto en español?
I'm hungry.|Tengo hambre.
I'm thirsty.|Tengo sed.
I'm cold.|Tengo frío.
I'm hot.|Tengo calor.
I'm sleepy.|Tengo sueño.
I'm tired.|Estoy cansado.
I'm lost.|Estoy perdido.
Help!|¡Ayuda!
Be careful!|¡Ten cuidado!
Watch out!|¡Cuidado!
Come here.|Ven aquí.
Come in, please.|Pasa, por favor.
Sit down, please.|Siéntate, por favor.
Wait a moment, please.|Espera un momento, por favor.
Just a moment.|Un momento.
Let's go!|¡Vamos!
Of course.|Claro.
Of course not.|Claro que no.
I agree.|Estoy de acuerdo.
I don't agree.|No estoy de acuerdo.
That's right.|Eso es.
That's a good idea.|Es una buena idea.
I think so.|Creo que sí.
I don't think so.|Creo que no.
Maybe.|Quizás.
I love you.|Te quiero.
I miss you.|Te echo de menos.
Where is the bathroom?|¿Dónde está el baño?
How much is it?|¿Cuánto cuesta?
The bill, please.|La cuenta, por favor.
I'm a student.|Soy estudiante.
I have a question.|Tengo una pregunta.
What happened?|¿Qué pasó?
What's wrong?|¿Qué te pasa?
Are you okay?|¿Estás bien?
I'm okay.|Estoy bien.
Take care.|Cuídate.
Good job!|¡Buen trabajo!
Well done!|¡Muy bien!
It's late.|Es tarde.
It's early.|Es temprano.
It's my turn.|Me toca a mí.
It's time to go.|Es hora de irnos.
It's not my fault.|No es culpa mía.
It's here.|Está aquí.
It's over there.|Está allí.
It's very expensive.|Es muy caro.
It isn't far.|No está lejos.
It's easy.|Es fácil.
It's not easy.|No es fácil.
It doesn't work.|No funciona.
What's this?|¿Qué es esto?
What's that?|¿Qué es eso?
That's okay.|Está bien.
That's great!|¡Genial!
That's not true.|No es verdad.
Is it far?|¿Está lejos?
Is it ready?|¿Está listo?
Can I help you?|¿Puedo ayudarte?
Can you help me, please?|¿Puedes ayudarme, por favor?
Where do you live?|¿Dónde vives?
I live here.|Vivo aquí.
I don't speak Spanish very well.|No hablo muy bien español.
Do you have a minute?|¿Tienes un minuto?
See you next week.|Hasta la semana que viene.
"""

# Greeting frames around a name: English | Spanish; {n} is the name.
NAME_FRAMES = """
Hello, {n}!|¡Hola, {n}!
Hi, {n}.|Hola, {n}.
Good morning, {n}.|Buenos días, {n}.
Good afternoon, {n}.|Buenas tardes, {n}.
Good night, {n}.|Buenas noches, {n}.
Goodbye, {n}.|Adiós, {n}.
See you tomorrow, {n}.|Hasta mañana, {n}.
See you later, {n}!|¡Hasta luego, {n}!
Thank you, {n}.|Gracias, {n}.
Thanks a lot, {n}!|¡Muchas gracias, {n}!
Happy birthday, {n}!|¡Feliz cumpleaños, {n}!
Nice to meet you, {n}.|Mucho gusto, {n}.
How are you, {n}?|¿Cómo estás, {n}?
Sorry, {n}.|Perdón, {n}.
Congratulations, {n}!|¡Felicidades, {n}!
Good luck, {n}!|¡Buena suerte, {n}!
My name is {n}.|Me llamo {n}.
I'm {n}.|Soy {n}.
Is your name {n}?|¿Te llamas {n}?
Where is {n}?|¿Dónde está {n}?
Who is {n}?|¿Quién es {n}?
Have you seen {n}?|¿Has visto a {n}?
Call {n}, please.|Llama a {n}, por favor.
"""

# Jobs: English | Spanish masculine | Spanish feminine ("Soy profesor.", "Es médica.": ser and
# no article in Spanish)
PROFESSIONS = """
teacher|profesor|profesora
doctor|médico|médica
student|estudiante|estudiante
nurse|enfermero|enfermera
cook|cocinero|cocinera
driver|conductor|conductora
engineer|ingeniero|ingeniera
lawyer|abogado|abogada
artist|artista|artista
singer|cantante|cantante
writer|escritor|escritora
farmer|granjero|granjera
dentist|dentista|dentista
police officer|policía|policía
scientist|científico|científica
journalist|periodista|periodista
painter|pintor|pintora
musician|músico|música
architect|arquitecto|arquitecta
photographer|fotógrafo|fotógrafa
"""

MONTHS = """
January|enero
February|febrero
March|marzo
April|abril
May|mayo
June|junio
July|julio
August|agosto
September|septiembre
October|octubre
November|noviembre
December|diciembre
"""

# "What is your favourite ...?": English | Spanish noun | gender
FAVOURITES = """
colour|color|m
food|comida|f
animal|animal|m
sport|deporte|m
song|canción|f
film|película|f
book|libro|m
city|ciudad|f
country|país|m
drink|bebida|f
day|día|m
subject|asignatura|f
"""
