<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>Controller</name>
    <message>
        <location filename="../../ganlab/app/controller.py" line="202"/>
        <source>The trainer had stopped; a new one starts from the current settings.</source>
        <translation>El entrenador se había detenido; arranca uno nuevo con los ajustes actuales.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/controller.py" line="379"/>
        <source>Switched to {kind} data, so also set: {changes}</source>
        <translation>Se cambió a datos {kind}, así que también se ajustó: {changes}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/controller.py" line="390"/>
        <source>{n} drawn points</source>
        <translation>{n} puntos dibujados</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/controller.py" line="418"/>
        <source>Data: {summary}</source>
        <translation>Datos: {summary}</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="395"/>
        <source>{0} rebuilds the networks with new weights; other settings apply live.</source>
        <translation>{0} reconstruye las redes con pesos nuevos; los demás ajustes se aplican en vivo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="524"/>
        <source>D: {setting}</source>
        <translation>D: {setting}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="526"/>
        <source>G: {setting}</source>
        <translation>G: {setting}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="544"/>
        <source>Only for {0} data.</source>
        <translation>Solo para datos de tipo {0}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="608"/>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="608"/>
        <source>Show or hide the data settings.</source>
        <translation>Mostrar u ocultar los ajustes de datos.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="777"/>
        <source>Load points from CSV…</source>
        <translation>Cargar puntos desde CSV…</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="781"/>
        <source>Train on your own 2-D points: choose a CSV file with one x, y pair per row. This rebuilds the networks with new weights.</source>
        <translation>Entrena con tus propios puntos 2-D: elige un archivo CSV con un par x, y por fila. Esto reconstruye las redes con pesos nuevos.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="609"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="609"/>
        <source>Show or hide the network settings.</source>
        <translation>Mostrar u ocultar los ajustes de las redes.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="610"/>
        <source>Loss</source>
        <translation>Pérdida</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="610"/>
        <source>Show or hide the loss settings.</source>
        <translation>Mostrar u ocultar los ajustes de la pérdida.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="790"/>
        <source>Use the paper&apos;s settings</source>
        <translation>Usar los ajustes del artículo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="792"/>
        <source>Set what the paper that introduced this loss used.</source>
        <translation>Pone lo que usó el artículo que introdujo esta pérdida.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="612"/>
        <source>Discriminator (D)</source>
        <translation>Discriminador (D)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="606"/>
        <source>D</source>
        <translation>D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="617"/>
        <source>Generator (G)</source>
        <translation>Generador (G)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="606"/>
        <source>G</source>
        <translation>G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="613"/>
        <location filename="../../ganlab/widgets/controls.py" line="618"/>
        <source>Show or hide {0}&apos;s training settings.</source>
        <translation>Mostrar u ocultar los ajustes de entrenamiento de {0}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="621"/>
        <source>Training</source>
        <translation>Entrenamiento</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="621"/>
        <source>Show or hide the training settings.</source>
        <translation>Mostrar u ocultar los ajustes de entrenamiento.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="664"/>
        <source>Changing it rebuilds the networks with new weights.</source>
        <translation>Cambiarlo reconstruye las redes con pesos nuevos.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="666"/>
        <source>Applies live, while training.</source>
        <translation>Se aplica en vivo, durante el entrenamiento.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="822"/>
        <location filename="../../ganlab/widgets/controls.py" line="828"/>
        <source>1-D</source>
        <translation>1-D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="822"/>
        <location filename="../../ganlab/widgets/controls.py" line="828"/>
        <source>2-D</source>
        <translation>2-D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="828"/>
        <source>Images</source>
        <translation>Imágenes</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="928"/>
        <source>Set what {0} used: {1}.</source>
        <translation>Pone lo que usó {0}: {1}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="930"/>
        <source>They are all in place.</source>
        <translation>Ya están todos puestos.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="822"/>
        <source>image</source>
        <translation>imagen</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="623"/>
        <source>Show or hide these settings.</source>
        <translation>Mostrar u ocultar estos ajustes.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="883"/>
        <source>No choice of {0} uses this setting.</source>
        <translation>Ninguna opción de {0} usa este ajuste.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="886"/>
        <source>Has no effect with {0}: only {1} use it.</source>
        <translation>No tiene efecto con {0}: solo lo usan {1}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="893"/>
        <source>The lesson has locked this setting: leave the lock to change it.</source>
        <translation>La lección ha bloqueado este ajuste: sal del bloqueo para cambiarlo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/controls.py" line="955"/>
        <source>{0} does not train on {1} data; it needs {2} data.</source>
        <translation>{0} no se entrena con datos de tipo {1}; necesita datos de tipo {2}.</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="433"/>
        <source>Smoothing</source>
        <translation>Suavizado</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="441"/>
        <source>Average each curve over recent steps so the trend shows through the noise. 0 shows the raw values; closer to 1 averages over more steps. The raw values stay faintly behind.</source>
        <translation>Promedia cada curva sobre los pasos recientes para que la tendencia se vea a través del ruido. 0 muestra los valores sin procesar; cuanto más cerca de 1, más pasos se promedian. Los valores sin procesar quedan tenues detrás.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="447"/>
        <source>Log scale</source>
        <translation>Escala logarítmica</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="448"/>
        <source>Per layer</source>
        <translation>Por capa</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="451"/>
        <source>Also draw the gradient norm of every layer, in shades of its network&apos;s colour and named in the legend.</source>
        <translation>Dibuja también la norma del gradiente de cada capa, en tonos del color de su red y con su nombre en la leyenda.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="493"/>
        <source>loss</source>
        <translation>pérdida</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="494"/>
        <source>gradient norm</source>
        <translation>norma del gradiente</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="495"/>
        <source>learning rate</source>
        <translation>tasa de aprendizaje</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="496"/>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="498"/>
        <source>D loss</source>
        <translation>pérdida de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="499"/>
        <source>G loss</source>
        <translation>pérdida de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="500"/>
        <source>D total</source>
        <translation>D total</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="501"/>
        <source>G total</source>
        <translation>G total</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="502"/>
        <source>D</source>
        <translation>D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="503"/>
        <source>G</source>
        <translation>G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="571"/>
        <source>G adversarial</source>
        <translation>G adversaria</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="572"/>
        <source>L1</source>
        <translation>L1</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="573"/>
        <source>cycle</source>
        <translation>ciclo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="574"/>
        <source>identity</source>
        <translation>identidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="627"/>
        <source>The views show step {step}</source>
        <translation>Las vistas muestran el paso {step}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="665"/>
        <source>mean D output</source>
        <translation>salida media de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="666"/>
        <source>mean D(x), real</source>
        <translation>D(x) media, reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="667"/>
        <source>mean D(G(z)), fake</source>
        <translation>D(G(z)) media, falsas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="672"/>
        <source>1/2: cannot tell</source>
        <translation>1/2: no distingue</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="675"/>
        <source>critic score</source>
        <translation>puntuación del crítico</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="676"/>
        <source>mean critic score, real</source>
        <translation>puntuación media del crítico, reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="677"/>
        <source>mean critic score, fake</source>
        <translation>puntuación media del crítico, falsas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1048"/>
        <source>Draw losses and gradient norms on a logarithmic y axis, so that changes over several orders of magnitude stay visible. A plot with values of zero or below stays linear.</source>
        <translation>Dibuja las pérdidas y las normas del gradiente en un eje y logarítmico, para que se vean los cambios de varios órdenes de magnitud. Un gráfico con valores menores o iguales a cero se queda en escala lineal.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1056"/>
        <source>The losses plot stays linear now: this loss has values of zero or below, which have no logarithm.</source>
        <translation>El gráfico de pérdidas se queda ahora en escala lineal: esta pérdida tiene valores menores o iguales a cero, que no tienen logaritmo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1062"/>
        <source>The gradient norms plot stays linear now: some norms are zero.</source>
        <translation>El gráfico de normas del gradiente se queda ahora en escala lineal: algunas normas son cero.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1067"/>
        <source> (linear scale: some values ≤ 0)</source>
        <translation> (escala lineal: hay valores ≤ 0)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1069"/>
        <source>Losses</source>
        <translation>Pérdidas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1070"/>
        <source>D&apos;s outputs</source>
        <translation>Salidas de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1072"/>
        <source>Critic scores</source>
        <translation>Puntuaciones del crítico</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1073"/>
        <source>Gradient norms</source>
        <translation>Normas del gradiente</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/curves.py" line="1074"/>
        <source>Learning rates</source>
        <translation>Tasas de aprendizaje</translation>
    </message>
</context>
<context>
    <name>CyclePanel</name>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="63"/>
        <source>domain A</source>
        <translation>dominio A</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="63"/>
        <source>domain B</source>
        <translation>dominio B</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="66"/>
        <source>Each column follows one held-out image there and back: translated into the other domain, then translated back. The cycle loss asks the way back to give the original image; without it the translation may invent a different picture that only looks like the other domain.</source>
        <translation>Cada columna sigue una imagen reservada de ida y vuelta: traducida al otro dominio y luego traducida de vuelta. La pérdida de ciclo pide que la vuelta devuelva la imagen original; sin ella la traducción puede inventar otra imagen que solo parece del otro dominio.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="78"/>
        <source>A → B → A: does F(G(A)) give A back?</source>
        <translation>A → B → A: ¿devuelve F(G(A)) la imagen A?</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="79"/>
        <source>B → A → B: does G(F(B)) give B back?</source>
        <translation>B → A → B: ¿devuelve G(F(B)) la imagen B?</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="80"/>
        <source>{stage}: {domain}</source>
        <translation>{stage}: {domain}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="129"/>
        <source>cycle error |F(G(A)) − A| = {value}</source>
        <translation>error de ciclo |F(G(A)) − A| = {value}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/cycle_view.py" line="130"/>
        <source>cycle error |G(F(B)) − B| = {value}</source>
        <translation>error de ciclo |G(F(B)) − B| = {value}</translation>
    </message>
</context>
<context>
    <name>DensityPanel</name>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="114"/>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="115"/>
        <source>density</source>
        <translation>densidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="356"/>
        <source>D(x): 1 = real, ½ = can&apos;t tell, 0 = fake</source>
        <translation>D(x): 1 = real, ½ = no distingue, 0 = falso</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="358"/>
        <source>The discriminator&apos;s probability that x is real, and the optimal D*.</source>
        <translation>La probabilidad que da el discriminador de que x sea real, y el D* óptimo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="362"/>
        <source>Green: the real data&apos;s density. Purple: the generator&apos;s density, with its samples as ticks along the bottom. Orange: the discriminator&apos;s probability that x is real (right axis). Dashed: the best possible discriminator for the current generator, D* = p_data / (p_data + p_g). Dotted: D = ½, can&apos;t tell.</source>
        <translation>Verde: la densidad de los datos reales. Morado: la densidad del generador, con sus muestras como marcas en la parte inferior. Naranja: la probabilidad, según el discriminador, de que x sea real (eje derecho). Discontinua: el mejor discriminador posible para el generador actual, D* = p_data / (p_data + p_g). Punteada: D = ½, no distingue.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="371"/>
        <source>critic score: higher = judged more real</source>
        <translation>puntuación del crítico: más alta = se juzga más real</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="374"/>
        <source>With this loss D is a critic that gives a score, not a probability, so the optimal D* = p_data / (p_data + p_g) and the line D = ½ do not apply.</source>
        <translation>Con esta pérdida, D es un crítico que da una puntuación, no una probabilidad, así que el D* = p_data / (p_data + p_g) óptimo y la línea D = ½ no se aplican.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="380"/>
        <source>Green: the real data&apos;s density. Purple: the generator&apos;s density, with its samples as ticks along the bottom. Orange: the critic&apos;s score of each x (right axis): higher means judged more real. A score is not a probability, so there is no D* and no &apos;can&apos;t tell&apos; line.</source>
        <translation>Verde: la densidad de los datos reales. Morado: la densidad del generador, con sus muestras como marcas en la parte inferior. Naranja: la puntuación del crítico para cada x (eje derecho): más alta significa juzgada más real. Una puntuación no es una probabilidad, así que no hay D* ni línea de «no distingue».</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="393"/>
        <source>p_data: real density</source>
        <translation>p_data: densidad real</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="394"/>
        <source>p_g: generated density</source>
        <translation>p_g: densidad generada</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="396"/>
        <source>D(x): probability that x is real</source>
        <translation>D(x): probabilidad de que x sea real</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="397"/>
        <source>D*(x) = p_data / (p_data + p_g)</source>
        <translation>D*(x) = p_data / (p_data + p_g)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="398"/>
        <source>D = ½: equilibrium</source>
        <translation>D = ½: equilibrio</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="401"/>
        <source>D(x): critic score (no D*: not a probability)</source>
        <translation>D(x): puntuación del crítico (sin D*: no es una probabilidad)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/density_view.py" line="403"/>
        <source>generated samples (ticks)</source>
        <translation>muestras generadas (marcas)</translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message>
        <location filename="../../ganlab/app/evaluation.py" line="78"/>
        <source>No usable Inception-v3 weights ({reason}); using the offline classifier features instead.</source>
        <translation>No hay pesos de Inception-v3 utilizables ({reason}); se usan en su lugar las características del clasificador local.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/evaluation.py" line="84"/>
        <source>Computing IS, FID and KID with Inception-v3 on {n} images…</source>
        <translation>Calculando IS, FID y KID con Inception-v3 sobre {n} imágenes…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/evaluation.py" line="111"/>
        <source>Preparing the offline classifier for &apos;{source}&apos; (trained once, then cached)…</source>
        <translation>Preparando el clasificador local para «{source}» (se entrena una vez y se guarda)…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/evaluation.py" line="118"/>
        <source>Computing FID and KID in the classifier&apos;s feature space on {n} images…</source>
        <translation>Calculando FID y KID en el espacio de características del clasificador con {n} imágenes…</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="102"/>
        <location filename="../../ganlab/widgets/export_dialog.py" line="229"/>
        <source>Export evolution</source>
        <translation>Exportar evolución</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="118"/>
        <source> frames/s</source>
        <translation> fps</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="133"/>
        <source>All segments</source>
        <translation>Todos los tramos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="136"/>
        <source>Segment {n} (steps {first} to {last})</source>
        <translation>Tramo {n} (pasos {first} a {last})</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="140"/>
        <source>A reset, a rebuild or a loaded checkpoint starts a new segment, whose steps may start again</source>
        <translation>Un reinicio, una reconstrucción o un punto de control cargado abren un tramo nuevo, cuyos pasos pueden volver a contar desde 0</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="145"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="151"/>
        <source>pixels</source>
        <translation>píxeles</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="154"/>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="161"/>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="162"/>
        <source>View</source>
        <translation>Vista</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="163"/>
        <source>Frame rate</source>
        <translation>Fotogramas por segundo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="164"/>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="166"/>
        <source>Segment</source>
        <translation>Tramo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="167"/>
        <source>Steps</source>
        <translation>Pasos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="168"/>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="172"/>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/export_dialog.py" line="231"/>
        <source>{suffix} files (*{suffix})</source>
        <translation>Archivos {suffix} (*{suffix})</translation>
    </message>
</context>
<context>
    <name>ExportFlow</name>
    <message>
        <location filename="../../ganlab/app/export.py" line="1137"/>
        <source>Exporting {path}…</source>
        <translation>Exportando {path}…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/export.py" line="1138"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/export.py" line="1143"/>
        <source>Export evolution</source>
        <translation>Exportar evolución</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/export.py" line="1162"/>
        <source>Export cancelled; nothing was written.</source>
        <translation>Exportación cancelada; no se escribió nada.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/export.py" line="1167"/>
        <source>Exported {path}</source>
        <translation>Se exportó {path}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/export.py" line="1171"/>
        <source>Export failed: {message}</source>
        <translation>La exportación falló: {message}</translation>
    </message>
</context>
<context>
    <name>ImagePanel</name>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="273"/>
        <source>Generated (fixed noise)</source>
        <translation>Generadas (ruido fijo)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="276"/>
        <source>Images the generator makes from the same noise vectors every frame, so you watch each one change as training goes on. Click an image to send its noise vector to the latent explorer.</source>
        <translation>Imágenes que el generador crea a partir de los mismos vectores de ruido en cada fotograma, para que veas cómo cambia cada una a medida que avanza el entrenamiento. Haz clic en una imagen para enviar su vector de ruido al explorador latente.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="284"/>
        <source>Real</source>
        <translation>Reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="286"/>
        <source>A fixed set of training images: what the generator tries to imitate.</source>
        <translation>Un conjunto fijo de imágenes de entrenamiento: lo que el generador intenta imitar.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="352"/>
        <source>How D judges a batch of real images (green) and a batch of generated images (purple). Early on D separates them; if G catches up both pile up around the same value.</source>
        <translation>Cómo juzga D un lote de imágenes reales (verde) y un lote de imágenes generadas (morado). Al principio D los separa; si G lo alcanza, ambos se acumulan en torno al mismo valor.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="349"/>
        <source>What D says</source>
        <translation>Qué dice D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="350"/>
        <source>images in the batch</source>
        <translation>imágenes del lote</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="328"/>
        <location filename="../../ganlab/widgets/image_view.py" line="410"/>
        <source>real batch</source>
        <translation>lote real</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="335"/>
        <location filename="../../ganlab/widgets/image_view.py" line="411"/>
        <source>generated batch</source>
        <translation>lote generado</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="346"/>
        <source>D = 1/2: cannot tell</source>
        <translation>D = 1/2: no distingue</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="390"/>
        <source>Real (green) and generated (purple) images as points on the two main directions (PCA) of the real images. The axes were fitted once on real images and never move, so you can see the generated cloud travel toward the real one.</source>
        <translation>Imágenes reales (verde) y generadas (morado) como puntos sobre las dos direcciones principales (PCA) de las imágenes reales. Los ejes se ajustaron una sola vez con imágenes reales y no se mueven, así que puedes ver cómo la nube generada viaja hacia la real.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="386"/>
        <source>Where the images lie</source>
        <translation>Dónde están las imágenes</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="387"/>
        <source>PCA 1</source>
        <translation>PCA 1</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="388"/>
        <source>PCA 2</source>
        <translation>PCA 2</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="369"/>
        <source>real</source>
        <translation>reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="377"/>
        <source>generated</source>
        <translation>generadas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="413"/>
        <source>D(x): probability that x is real</source>
        <translation>D(x): probabilidad de que x sea real</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/image_view.py" line="417"/>
        <source>critic score: higher = judged more real</source>
        <translation>puntuación del crítico: más alta = juzgada más real</translation>
    </message>
</context>
<context>
    <name>LatentExplorerPanel</name>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="163"/>
        <source>Anchors</source>
        <translation>Anclas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="167"/>
        <source>The latent vectors the path goes through, in order. Click a generated image in the image view to add its noise vector here.</source>
        <translation>Los vectores latentes por los que pasa la trayectoria, en orden. Haz clic en una imagen generada de la vista de imágenes para añadir aquí su vector de ruido.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="178"/>
        <source>Add random</source>
        <translation>Añadir aleatorio</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="180"/>
        <source>Add a random latent vector; its seed is shown so you can find it again.</source>
        <translation>Añade un vector latente aleatorio; se muestra su semilla para que puedas volver a encontrarlo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="183"/>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="184"/>
        <source>Remove the selected anchor from the path.</source>
        <translation>Quita el ancla seleccionada de la trayectoria.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="190"/>
        <source>Seed of the random generator: the same seed always gives the same vector.</source>
        <translation>Semilla del generador de números aleatorios: la misma semilla da siempre el mismo vector.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="192"/>
        <source>Add by seed</source>
        <translation>Añadir por semilla</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="193"/>
        <source>Add the latent vector drawn with this seed.</source>
        <translation>Añade el vector latente obtenido con esta semilla.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="209"/>
        <source>Path</source>
        <translation>Trayectoria</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="211"/>
        <source>Spherical</source>
        <translation>Esférica</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="212"/>
        <source>Linear</source>
        <translation>Lineal</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="215"/>
        <source>Linear: a straight line between anchors. It cuts through the middle of the latent space, closer to the origin than any sample the generator was trained on.
Spherical: follows the arc between anchors, so the vectors keep their length and the path stays in the typical shell of a gaussian (length about the square root of the latent size).</source>
        <translation>Lineal: una línea recta entre anclas. Atraviesa el centro del espacio latente, más cerca del origen que cualquier muestra con la que se entrenó el generador.
Esférica: sigue el arco entre anclas, así que los vectores conservan su longitud y la trayectoria se mantiene en la capa típica de una gaussiana (longitud de aproximadamente la raíz cuadrada de la dimensión latente).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="228"/>
        <source>How many frames the path takes from one anchor to the next.</source>
        <translation>Cuántos fotogramas tarda la trayectoria en ir de un ancla a la siguiente.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="234"/>
        <source>The class the conditional generator is asked for along the whole path.</source>
        <translation>La clase que se le pide al generador condicional a lo largo de toda la trayectoria.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="239"/>
        <source>Interpolation</source>
        <translation>Interpolación</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="240"/>
        <source>Steps per segment</source>
        <translation>Pasos por tramo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="241"/>
        <source>Class</source>
        <translation>Clase</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="245"/>
        <source>Walk</source>
        <translation>Recorrido</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="247"/>
        <source>Move along the path: left is the first anchor.</source>
        <translation>Desplázate por la trayectoria: a la izquierda está la primera ancla.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="250"/>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="431"/>
        <source>Play walk</source>
        <translation>Reproducir</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="251"/>
        <source>Animate the walk along the path, or pause it.</source>
        <translation>Anima el recorrido por la trayectoria, o lo pausa.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="253"/>
        <source>Loop</source>
        <translation>En bucle</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="254"/>
        <source>Start again from the first anchor after the last one.</source>
        <translation>Vuelve a empezar desde la primera ancla después de la última.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="258"/>
        <source> frames/s</source>
        <translation> fps</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="259"/>
        <source>Speed of the walk in frames per second.</source>
        <translation>Velocidad del recorrido en fotogramas por segundo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="274"/>
        <source>Current frame</source>
        <translation>Fotograma actual</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="276"/>
        <source>What the generator makes at this point of the path.</source>
        <translation>Lo que crea el generador en este punto de la trayectoria.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="278"/>
        <source>The path, anchor to anchor</source>
        <translation>La trayectoria, de ancla en ancla</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="281"/>
        <source>Thumbnails along the path, one row from each anchor to the next. The framed one is shown large. Click a thumbnail to jump there.</source>
        <translation>Miniaturas a lo largo de la trayectoria, una fila de cada ancla a la siguiente. La enmarcada se muestra en grande. Haz clic en una miniatura para saltar a ella.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="308"/>
        <source>Where the current latent vector lands in data space (see the 2-D view).</source>
        <translation>Dónde cae el vector latente actual en el espacio de datos (ver la vista 2-D).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="372"/>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="584"/>
        <source>seed {0}</source>
        <translation>semilla {0}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="440"/>
        <source>A{0}  {1}  (length {2:.2f})</source>
        <translation>A{0}  {1}  (longitud {2:.2f})</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="482"/>
        <source>Add at least two anchors: the walk goes from one to the next.</source>
        <translation>Añade al menos dos anclas: el recorrido va de una a la siguiente.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="490"/>
        <source>A{0} to A{1}, t = {2:.2f}  (frame {3} of {4})</source>
        <translation>De A{0} a A{1}, t = {2:.2f}  (fotograma {3} de {4})</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="512"/>
        <source>A{0} → A{1}</source>
        <translation>A{0} → A{1}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="528"/>
        <source>No samples yet.</source>
        <translation>Todavía no hay muestras.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="541"/>
        <source>Frame {0} of {1}</source>
        <translation>Fotograma {0} de {1}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="553"/>
        <source>Point {0} of {1}
in data space: ({2})
z = ({3})
The path itself is drawn on the 2-D view.</source>
        <translation>Punto {0} de {1}
en el espacio de datos: ({2})
z = ({3})
La trayectoria en sí se dibuja en la vista 2-D.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="580"/>
        <source>random, seed {0}</source>
        <translation>aleatorio, semilla {0}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/latent_explorer.py" line="620"/>
        <source>Pause walk</source>
        <translation>Pausar</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="111"/>
        <source>◀ Back</source>
        <translation>◀ Atrás</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="113"/>
        <source>The previous step (Page Up)</source>
        <translation>El paso anterior (Re Pág)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="114"/>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="205"/>
        <source>Next ▶</source>
        <translation>Siguiente ▶</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="117"/>
        <source>The next step (Page Down), once this step&apos;s goal is reached</source>
        <translation>El paso siguiente (Av Pág), una vez alcanzado el objetivo de este paso</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="169"/>
        <source>No lesson open</source>
        <translation>No hay ninguna lección abierta</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="174"/>
        <source>Open a lesson from File › Open lesson… or from the start page (File › Start page…).</source>
        <translation>Abre una lección desde Archivo › Abrir lección… o desde la página de inicio (Archivo › Página de inicio…).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="190"/>
        <source>Papers</source>
        <translation>Artículos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="199"/>
        <source>Step {k} of {n}</source>
        <translation>Paso {k} de {n}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/lesson_panel.py" line="205"/>
        <source>Finish ✓</source>
        <translation>Terminar ✓</translation>
    </message>
</context>
<context>
    <name>LessonRunner</name>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="84"/>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="85"/>
        <source>paused</source>
        <translation>en pausa</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="86"/>
        <source>D loss</source>
        <translation>pérdida de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="87"/>
        <source>G loss</source>
        <translation>pérdida de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="88"/>
        <source>mean D(x), real</source>
        <translation>D(x) media, reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="89"/>
        <source>mean D(G(z)), fake</source>
        <translation>D(G(z)) media, falsas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="90"/>
        <source>D&apos;s gradient norm</source>
        <translation>norma del gradiente de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="91"/>
        <source>G&apos;s gradient norm</source>
        <translation>norma del gradiente de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="92"/>
        <source>D&apos;s learning rate</source>
        <translation>tasa de aprendizaje de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="93"/>
        <source>G&apos;s learning rate</source>
        <translation>tasa de aprendizaje de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="94"/>
        <source>JSD</source>
        <translation>JSD</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="95"/>
        <source>KL(data ‖ G)</source>
        <translation>KL(datos ‖ G)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="96"/>
        <source>KL(G ‖ data)</source>
        <translation>KL(G ‖ datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="97"/>
        <source>total variation</source>
        <translation>variación total</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="98"/>
        <source>generated mass outside the grid</source>
        <translation>masa generada fuera de la cuadrícula</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="99"/>
        <source>JSD floor</source>
        <translation>suelo de la JSD</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="100"/>
        <source>KL(data ‖ G) floor</source>
        <translation>suelo de KL(datos ‖ G)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="101"/>
        <source>KL(G ‖ data) floor</source>
        <translation>suelo de KL(G ‖ datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="102"/>
        <source>total variation floor</source>
        <translation>suelo de la variación total</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="103"/>
        <source>lower bound from D</source>
        <translation>cota inferior a partir de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="104"/>
        <source>modes captured</source>
        <translation>modos capturados</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="105"/>
        <source>modes</source>
        <translation>modos</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="106"/>
        <source>high-quality share</source>
        <translation>proporción de alta calidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="107"/>
        <source>reverse KL of the modes</source>
        <translation>KL inversa de los modos</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="108"/>
        <source>W1</source>
        <translation>W1</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="110"/>
        <source>G&apos;s adversarial loss</source>
        <translation>pérdida adversaria de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="111"/>
        <source>L1 loss</source>
        <translation>pérdida L1</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="112"/>
        <source>cycle loss</source>
        <translation>pérdida de ciclo</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="113"/>
        <source>identity loss</source>
        <translation>pérdida de identidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="114"/>
        <source>held-out L1</source>
        <translation>L1 en las reservadas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="115"/>
        <source>held-out PSNR</source>
        <translation>PSNR en las reservadas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="116"/>
        <source>L1 of the input itself</source>
        <translation>L1 de la propia entrada</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="117"/>
        <source>PSNR of the input itself</source>
        <translation>PSNR de la propia entrada</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="118"/>
        <source>L1 of the mean image</source>
        <translation>L1 de la imagen media</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="119"/>
        <source>PSNR of the mean image</source>
        <translation>PSNR de la imagen media</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="120"/>
        <source>cycle error</source>
        <translation>error de ciclo</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="121"/>
        <source>cycle error A→B→A</source>
        <translation>error de ciclo A→B→A</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="122"/>
        <source>cycle error B→A→B</source>
        <translation>error de ciclo B→A→B</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="123"/>
        <source>share judged in the target domain</source>
        <translation>proporción juzgada en el dominio de destino</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="124"/>
        <source>share of G(A) judged B</source>
        <translation>proporción de G(A) juzgada B</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="125"/>
        <source>share of F(B) judged A</source>
        <translation>proporción de F(B) juzgada A</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="126"/>
        <source>share of real images judged right</source>
        <translation>proporción de imágenes reales bien juzgadas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="127"/>
        <source>path length in z</source>
        <translation>longitud de camino en z</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="128"/>
        <source>path length in w</source>
        <translation>longitud de camino en w</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="129"/>
        <source>and</source>
        <translation>y</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="130"/>
        <source>or</source>
        <translation>o</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="131"/>
        <source>not</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="146"/>
        <source>diagnosis: {title}</source>
        <translation>diagnóstico: {title}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="231"/>
        <source>Lesson refused</source>
        <translation>Lección rechazada</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="260"/>
        <source>Lesson {title} opened ({n} steps)</source>
        <translation>Lección {title} abierta ({n} pasos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="311"/>
        <source>Lesson complete ✓</source>
        <translation>Lección completada ✓</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="379"/>
        <source>Done ✓ — {condition}</source>
        <translation>Hecho ✓ — {condition}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="385"/>
        <source>Not reached within {budget} steps ({now}). Reset and try again, or go on.</source>
        <translation>No se alcanzó en {budget} pasos ({now}). Reinicia y vuelve a intentarlo, o continúa.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="391"/>
        <source>Waiting for: {condition} — now {now}</source>
        <translation>Esperando: {condition} — ahora {now}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="604"/>
        <source>Open &amp;lesson…</source>
        <translation>Abrir &amp;lección…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="605"/>
        <source>Open a lesson file (TOML)</source>
        <translation>Abrir un archivo de lección (TOML)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="606"/>
        <source>Start page…</source>
        <translation>Página de inicio…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="608"/>
        <source>The lessons, presets and recent files, to start from one</source>
        <translation>Las lecciones, los experimentos predefinidos y los archivos recientes, para empezar por uno</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="610"/>
        <source>Next step</source>
        <translation>Paso siguiente</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="612"/>
        <source>The lesson&apos;s next step (Page Down)</source>
        <translation>El paso siguiente de la lección (Av Pág)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="613"/>
        <source>Previous step</source>
        <translation>Paso anterior</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="615"/>
        <source>The lesson&apos;s previous step (Page Up)</source>
        <translation>El paso anterior de la lección (Re Pág)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="616"/>
        <source>Close lesson</source>
        <translation>Cerrar la lección</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="618"/>
        <source>Leave the lesson; the panels come back as before it</source>
        <translation>Salir de la lección; los paneles vuelven a estar como antes</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="620"/>
        <source>Lock the lab</source>
        <translation>Bloquear el laboratorio</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="623"/>
        <source>Only the controls the lesson step allows can be changed</source>
        <translation>Solo se pueden cambiar los controles que permite el paso de la lección</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="625"/>
        <source>Unlock…</source>
        <translation>Desbloquear…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="626"/>
        <source>Leave the teacher&apos;s lock (asks first)</source>
        <translation>Quitar el bloqueo del profesor (pregunta antes)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="656"/>
        <source>Open lesson</source>
        <translation>Abrir lección</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="656"/>
        <source>Lessons (*.toml)</source>
        <translation>Lecciones (*.toml)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="669"/>
        <source>Unlock the lab</source>
        <translation>Desbloquear el laboratorio</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="671"/>
        <source>Unlock the lab? Every setting and action can then be changed, for the rest of this lesson.</source>
        <translation>¿Desbloquear el laboratorio? Entonces se podrá cambiar cualquier ajuste y acción durante el resto de esta lección.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="701"/>
        <source>a run made in the window, {family}, step {step}</source>
        <translation>una ejecución hecha en la ventana, {family}, paso {step}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="733"/>
        <source>checkpoint</source>
        <translation>punto de control</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="734"/>
        <source>lesson</source>
        <translation>lección</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="734"/>
        <source>experiment</source>
        <translation>experimento</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/lessons.py" line="759"/>
        <source>{path}: this run has no checkpoint to continue from.</source>
        <translation>{path}: esta ejecución no tiene ningún punto de control desde el que continuar.</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="57"/>
        <source>Details of the selected line</source>
        <translation>Detalles de la línea seleccionada</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="62"/>
        <source>Technical details of the selected log line.</source>
        <translation>Detalles técnicos de la línea seleccionada del registro.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="71"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="73"/>
        <source>Remove every line from this log. Saved run files keep their own record.</source>
        <translation>Borra todas las líneas de este registro. Los archivos guardados de la ejecución conservan su propio registro.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="76"/>
        <source>Click a line marked … to see its details.</source>
        <translation>Haz clic en una línea con … para ver los detalles.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="112"/>
        <source>Warning: </source>
        <translation>Aviso: </translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="112"/>
        <source>Error: </source>
        <translation>Error: </translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/log_panel.py" line="191"/>
        <source>… (click the line to see everything)</source>
        <translation>… (haz clic en la línea para verlo todo)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="120"/>
        <source>IS</source>
        <translation>IS</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="121"/>
        <source>IS std</source>
        <translation>IS desv.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="122"/>
        <source>FID</source>
        <translation>FID</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="123"/>
        <source>KID</source>
        <translation>KID</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="124"/>
        <source>KID std</source>
        <translation>KID desv.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="125"/>
        <source>FID (classifier features)</source>
        <translation>FID (rasgos del clasificador)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="126"/>
        <source>KID (classifier features)</source>
        <translation>KID (rasgos del clasificador)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="127"/>
        <source>KID std (classifier features)</source>
        <translation>KID desv. (rasgos del clasificador)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="128"/>
        <source>classifier score</source>
        <translation>puntuación del clasificador</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="129"/>
        <source>classifier accuracy</source>
        <translation>exactitud del clasificador</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="249"/>
        <source>What the live diagnostics noticed. Click to hide.</source>
        <translation>Lo que detectó el diagnóstico en vivo. Haz clic para ocultarlo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="305"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="306"/>
        <location filename="../../ganlab/app/main_window.py" line="499"/>
        <source>Slow motion</source>
        <translation>Cámara lenta</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="307"/>
        <source>Curves</source>
        <translation>Curvas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="309"/>
        <source>Metrics</source>
        <translation>Métricas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="311"/>
        <source>Latent explorer</source>
        <translation>Explorador latente</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="313"/>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="392"/>
        <source>Lesson</source>
        <translation>Lección</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="409"/>
        <source>Runs</source>
        <translation>Ejecuciones</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="435"/>
        <source>&amp;Lesson</source>
        <translation>&amp;Lección</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="450"/>
        <source>Automatic</source>
        <translation>Automático</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="450"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="453"/>
        <source>Apple GPU (MPS)</source>
        <translation>GPU de Apple (MPS)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="476"/>
        <location filename="../../ganlab/app/main_window.py" line="987"/>
        <location filename="../../ganlab/app/main_window.py" line="1007"/>
        <location filename="../../ganlab/app/main_window.py" line="1016"/>
        <source>Play</source>
        <translation>Reproducir</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="476"/>
        <source>Train continuously / pause (Space)</source>
        <translation>Entrenar de forma continua / pausar (Espacio)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="479"/>
        <source>Step</source>
        <translation>Paso</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="480"/>
        <source>One iteration: k_D updates of D, then k_G updates of G (Right arrow)</source>
        <translation>Una iteración: k_D actualizaciones de D y luego k_G actualizaciones de G (Flecha derecha)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="484"/>
        <source>Step D</source>
        <translation>Paso D</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="485"/>
        <source>One update of the discriminator only (Ctrl+Right)</source>
        <translation>Una sola actualización del discriminador (Ctrl+Derecha)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="489"/>
        <source>Step G</source>
        <translation>Paso G</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="490"/>
        <source>One update of the generator only (Ctrl+Shift+Right)</source>
        <translation>Una sola actualización del generador (Ctrl+Mayús+Derecha)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="494"/>
        <source>Reset</source>
        <translation>Reiniciar</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="495"/>
        <source>New random weights from a new seed, step 0 (Ctrl+R)</source>
        <translation>Nuevos pesos aleatorios con una semilla nueva, paso 0 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="500"/>
        <source>Play one iteration as named sub-steps, highlighting the network that learns</source>
        <translation>Reproducir una iteración en subpasos con nombre, resaltando la red que aprende</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="503"/>
        <source>Evaluate now</source>
        <translation>Evaluar ahora</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="505"/>
        <source>Compute image metrics (IS, FID, KID) on 1,000 generated and real images without stopping training</source>
        <translation>Calcula métricas de imagen (IS, FID, KID) con 1.000 imágenes generadas y reales sin detener el entrenamiento</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="511"/>
        <location filename="../../ganlab/app/main_window.py" line="1157"/>
        <source>Stop the run</source>
        <translation>Detener la ejecución</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="513"/>
        <source>Stop the attached run for good: it writes its last checkpoint and ends (continue it later with &apos;ganlab train --resume&apos;)</source>
        <translation>Detener del todo la ejecución conectada: escribe su último punto de control y termina (puedes continuarla después con &apos;ganlab train --resume&apos;)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="518"/>
        <source>Training</source>
        <translation>Entrenamiento</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="535"/>
        <source>How fast Play trains: full speed, or at most so many steps a second, so that a class can watch every change happen. Step is not affected.</source>
        <translation>A qué velocidad entrena Reproducir: a toda velocidad, o como mucho tantos pasos por segundo, para que una clase pueda ver cada cambio. Paso no se ve afectado.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="541"/>
        <source>Full speed</source>
        <translation>Toda velocidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="543"/>
        <source>{n} steps/s</source>
        <translation>{n} pasos/s</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="545"/>
        <source>1 step/s</source>
        <translation>1 paso/s</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="549"/>
        <source>Speed:</source>
        <translation>Velocidad:</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="567"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="569"/>
        <source>&amp;Open experiment…</source>
        <translation>&amp;Abrir experimento…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="570"/>
        <source>Open an experiment file (TOML)</source>
        <translation>Abrir un archivo de experimento (TOML)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="574"/>
        <source>&amp;Save experiment as…</source>
        <translation>&amp;Guardar experimento como…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="575"/>
        <source>Save the current settings as an experiment file (TOML)</source>
        <translation>Guardar los ajustes actuales como archivo de experimento (TOML)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="578"/>
        <source>Presets</source>
        <translation>Experimentos predefinidos</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="579"/>
        <source>Recent files</source>
        <translation>Archivos recientes</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="584"/>
        <source>Save checkpoint…</source>
        <translation>Guardar punto de control…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="584"/>
        <source>Save the networks, optimizers and step to a file</source>
        <translation>Guardar en un archivo las redes, los optimizadores y el paso</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="587"/>
        <source>Load checkpoint…</source>
        <translation>Cargar punto de control…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="587"/>
        <source>Continue from a saved checkpoint</source>
        <translation>Continuar desde un punto de control guardado</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="590"/>
        <source>Load points from CSV…</source>
        <translation>Cargar puntos desde CSV…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="591"/>
        <source>Train on 2-D points from a CSV file (x, y columns)</source>
        <translation>Entrenar con puntos 2-D de un archivo CSV (columnas x, y)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="597"/>
        <source>Export view as PNG…</source>
        <translation>Exportar vista como PNG…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="598"/>
        <source>Save the central view (samples, heatmap or image grid) as a PNG image</source>
        <translation>Guardar la vista central (muestras, mapa de calor o cuadrícula de imágenes) como imagen PNG</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="601"/>
        <source>Export plots as PNG…</source>
        <translation>Exportar gráficos como PNG…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="602"/>
        <source>Save each curve plot as a PNG image in a folder</source>
        <translation>Guardar cada gráfico de curvas como imagen PNG en una carpeta</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="605"/>
        <source>Export curves as CSV…</source>
        <translation>Exportar curvas como CSV…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="606"/>
        <source>Save the training curves (one row per step) as CSV</source>
        <translation>Guardar las curvas de entrenamiento (una fila por paso) como CSV</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="609"/>
        <source>Export evolution…</source>
        <translation>Exportar evolución…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="611"/>
        <source>Save how this run&apos;s views evolved as an animated GIF or MP4, one step as PNG or SVG, or its curves as CSV</source>
        <translation>Guarda cómo evolucionaron las vistas de esta ejecución como GIF animado o MP4, un paso como PNG o SVG, o sus curvas como CSV</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="624"/>
        <source>&amp;Attach to run…</source>
        <translation>&amp;Conectarse a una ejecución…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="626"/>
        <source>Watch a run that is training now (a &apos;ganlab train&apos; on this machine, or rank 0 of a torchrun job) in a new window</source>
        <translation>Ver en una ventana nueva una ejecución que está entrenando ahora (un &apos;ganlab train&apos; en esta máquina, o el rango 0 de un trabajo de torchrun)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="631"/>
        <location filename="../../ganlab/app/main_window.py" line="1146"/>
        <source>Close, keep training</source>
        <translation>Cerrar y seguir entrenando</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="633"/>
        <source>Close the window and leave this run training in the background; attach to it again with File › Attach to run</source>
        <translation>Cerrar la ventana y dejar esta ejecución entrenando en segundo plano; vuelve a conectarte con Archivo › Conectarse a una ejecución</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="641"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="641"/>
        <source>Stop training and close (Ctrl+Q)</source>
        <translation>Detener el entrenamiento y cerrar (Ctrl+Q)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="649"/>
        <source>&amp;Training</source>
        <translation>&amp;Entrenamiento</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="661"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="676"/>
        <source>Presentation mode</source>
        <translation>Modo presentación</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="677"/>
        <source>Full screen, with large text, lines and markers for a projector (F11)</source>
        <translation>Pantalla completa, con texto, líneas y marcadores grandes para un proyector (F11)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="683"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="684"/>
        <location filename="../../ganlab/app/main_window.py" line="1658"/>
        <source>About ganlab</source>
        <translation>Acerca de ganlab</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="684"/>
        <source>Version and licence</source>
        <translation>Versión y licencia</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="692"/>
        <source>&amp;Go to panel</source>
        <translation>&amp;Ir al panel</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="737"/>
        <source>Training state and current step</source>
        <translation>Estado del entrenamiento y paso actual</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="738"/>
        <source>Training speed: updates per second</source>
        <translation>Velocidad de entrenamiento: actualizaciones por segundo</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="739"/>
        <source>Window redraws per second</source>
        <translation>Redibujados de la ventana por segundo</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="740"/>
        <source>Where the networks train</source>
        <translation>Dónde se entrenan las redes</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="744"/>
        <source>Memory used by the window, and by its trainer when it has its own process</source>
        <translation>Memoria que usa la ventana, y su entrenador cuando tiene un proceso propio</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="750"/>
        <source>Segment of the run: a new one starts with new networks, at every reset, architecture change or loaded checkpoint; the curves show the current one</source>
        <translation>Tramo de la ejecución: empieza uno nuevo con redes nuevas, en cada reinicio, cambio de arquitectura o punto de control cargado; las curvas muestran el actual</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="934"/>
        <source>Slow motion narrates the game of G(z) against D(x). {family} has no z: its G translates an input image, and its own losses are in the Curves. Use Step D and Step G to advance it one update at a time.</source>
        <translation>La cámara lenta narra el juego de G(z) contra D(x). {family} no tiene z: su G traduce una imagen de entrada, y sus propias pérdidas están en las curvas. Usa Paso D y Paso G para avanzarlo una actualización cada vez.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="943"/>
        <source>segment {n}</source>
        <translation>tramo {n}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="951"/>
        <source>This run is recorded in {path}: its curves, checkpoints and the history of its views (File › Export evolution…, View › Runs).</source>
        <translation>Esta ejecución se graba en {path}: sus curvas, sus puntos de control y el historial de sus vistas (Archivo › Exportar evolución…, Ver › Ejecuciones).</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="975"/>
        <source>{family} has no latent vector z: its generator translates images, so the latent explorer is hidden.</source>
        <translation>{family} no tiene vector latente z: su generador traduce imágenes, así que el explorador latente se oculta.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1039"/>
        <source>Restart from the last checkpoint (step {step})</source>
        <translation>Reiniciar desde el último punto de control (paso {step})</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1141"/>
        <source>{path} goes on training without a window. Watch it again with &apos;ganlab --attach {path}&apos; or File › Attach to run; stop it from there (Training › Stop the run).</source>
        <translation>{path} sigue entrenando sin ventana. Vuelve a verla con &apos;ganlab --attach {path}&apos; o Archivo › Conectarse a una ejecución, y detenla desde allí (Entrenamiento › Detener la ejecución).</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1159"/>
        <source>Stop {path} for good? It writes its last checkpoint and ends; continue it later with &apos;ganlab train --resume {path} --steps N&apos;.</source>
        <translation>¿Detener {path} del todo? Escribe su último punto de control y termina; puedes continuarla después con &apos;ganlab train --resume {path} --steps N&apos;.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="889"/>
        <source>Attaching to {path}…</source>
        <translation>Conectándose a {path}…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="891"/>
        <source>Starting the trainer: loading PyTorch, then building the networks…</source>
        <translation>Iniciando el entrenador: cargando PyTorch y después construyendo las redes…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="897"/>
        <source>ganlab — {name}</source>
        <translation>ganlab — {name}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="899"/>
        <source>{title} — attached to {path}</source>
        <translation>{title} — conectada a {path}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="987"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="991"/>
        <source>Reached the step limit ({limit}): training paused. Play goes on past it; Reset starts again from step 0.</source>
        <translation>Se alcanzó el límite de pasos ({limit}): entrenamiento en pausa. Reproducir sigue más allá; Reiniciar vuelve a empezar desde el paso 0.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1011"/>
        <source>The trainer has stopped. Play, Step, Reset or any setting starts a new one.</source>
        <translation>El entrenador se ha detenido. Reproducir, Paso, Reiniciar o cualquier ajuste arranca uno nuevo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1032"/>
        <source>The trainer stopped</source>
        <translation>El entrenador se detuvo</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1045"/>
        <source>Restart from step 0</source>
        <translation>Reiniciar desde el paso 0</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1046"/>
        <source>Not now</source>
        <translation>Ahora no</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1049"/>
        <source>The curves stay as they were. Play, Step or any setting also starts a new trainer from step 0.</source>
        <translation>Las curvas siguen como estaban. Reproducir, Paso o cualquier ajuste también inician un entrenador nuevo desde el paso 0.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1108"/>
        <source>This run is read-only: the window shows it but cannot change it.</source>
        <translation>Esta ejecución es de solo lectura: la ventana la muestra, pero no puede cambiarla.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1116"/>
        <location filename="../../ganlab/app/main_window.py" line="1128"/>
        <source>Attach to run</source>
        <translation>Conectarse a una ejecución</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1207"/>
        <source>Checkpoint saved: {path}</source>
        <translation>Punto de control guardado: {path}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1218"/>
        <source>An evaluation is already running.</source>
        <translation>Ya hay una evaluación en curso.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1222"/>
        <source>Evaluating: generating {n} images…</source>
        <translation>Evaluando: generando {n} imágenes…</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1249"/>
        <source>Image metrics at step {step} ({space}): {values}</source>
        <translation>Métricas de imagen en el paso {step} ({space}): {values}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1257"/>
        <source>Note: {note}</source>
        <translation>Nota: {note}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1267"/>
        <source>Evaluation failed: {error}</source>
        <translation>La evaluación falló: {error}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1277"/>
        <source>step {step} — {title}: {message}</source>
        <translation>paso {step} — {title}: {message}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1291"/>
        <source>step {step} — {title}: cleared</source>
        <translation>paso {step} — {title}: resuelto</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1307"/>
        <source>step {step}: {key} {old} → {new}</source>
        <translation>paso {step}: {key} {old} → {new}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1334"/>
        <source>sample {i}</source>
        <translation>muestra {i}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1342"/>
        <source>Training on {n} drawn points</source>
        <translation>Entrenando con {n} puntos dibujados</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1380"/>
        <source>Open experiment</source>
        <translation>Abrir experimento</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1380"/>
        <location filename="../../ganlab/app/main_window.py" line="1416"/>
        <source>Experiments (*.toml)</source>
        <translation>Experimentos (*.toml)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1392"/>
        <source>Experiment refused</source>
        <translation>Experimento rechazado</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1406"/>
        <source>Opened {name}</source>
        <translation>Se abrió {name}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1414"/>
        <source>Save experiment</source>
        <translation>Guardar experimento</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1426"/>
        <source>Could not save {path}: {error}</source>
        <translation>No se pudo guardar {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1431"/>
        <source>Saved {path}</source>
        <translation>Se guardó {path}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1436"/>
        <source>Save checkpoint</source>
        <translation>Guardar punto de control</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1436"/>
        <location filename="../../ganlab/app/main_window.py" line="1444"/>
        <source>Checkpoints (*.pt)</source>
        <translation>Puntos de control (*.pt)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1444"/>
        <source>Load checkpoint</source>
        <translation>Cargar punto de control</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1466"/>
        <source>Restored the curves, metrics and setting changes of {path} up to step {step}.</source>
        <translation>Se han restaurado las curvas, las métricas y los cambios de ajustes de {path} hasta el paso {step}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1477"/>
        <source>Training goes on from step {step} in a new run folder, {new}; {old} stays as it was (its history shows first in the timeline).</source>
        <translation>El entrenamiento sigue desde el paso {step} en una carpeta de ejecución nueva, {new}; {old} se queda como estaba (su historial aparece primero en la línea de tiempo).</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1494"/>
        <source>Loaded {path} at step {step}. It is not inside a run directory, so the curves start again at step {step}.</source>
        <translation>Cargado {path} en el paso {step}. No está dentro de un directorio de ejecución, así que las curvas empiezan de nuevo en el paso {step}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1504"/>
        <source>Load points</source>
        <translation>Cargar puntos</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1506"/>
        <source>Point files (*.csv *.tsv *.txt *.dat);;All files (*)</source>
        <translation>Archivos de puntos (*.csv *.tsv *.txt *.dat);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1521"/>
        <source>Export view</source>
        <translation>Exportar vista</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1521"/>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1529"/>
        <location filename="../../ganlab/app/main_window.py" line="1600"/>
        <source>Exported {path}</source>
        <translation>Se exportó {path}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1529"/>
        <location filename="../../ganlab/app/main_window.py" line="1578"/>
        <source>Could not write {path}</source>
        <translation>No se pudo escribir {path}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1538"/>
        <source>Export plots to folder</source>
        <translation>Exportar gráficos a una carpeta</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1580"/>
        <source>Exported {n} plots to {folder}</source>
        <translation>Se exportaron {n} gráficos a {folder}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1587"/>
        <source>Export curves</source>
        <translation>Exportar curvas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1587"/>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1597"/>
        <source>Could not write {path}: {error}</source>
        <translation>No se pudo escribir {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1615"/>
        <source>No run to export yet: train a step first, or open a run.</source>
        <translation>Todavía no hay ninguna ejecución que exportar: entrena primero un paso o abre una ejecución.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1660"/>
        <source>ganlab {version}
A desktop laboratory for generative adversarial networks.</source>
        <translation>ganlab {version}
Un laboratorio de escritorio para redes generativas antagónicas.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1778"/>
        <source>playing</source>
        <translation>entrenando</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1779"/>
        <source>paused</source>
        <translation>en pausa</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1780"/>
        <source>finished</source>
        <translation>terminado</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1781"/>
        <source>stopped</source>
        <translation>detenido</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1782"/>
        <source>starting</source>
        <translation>iniciando</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1784"/>
        <source>{state} · step {step}</source>
        <translation>{state} · paso {step}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1786"/>
        <source>{rate:.0f} steps/s</source>
        <translation>{rate:.0f} pasos/s</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1788"/>
        <source>{fps:.0f} frames/s</source>
        <translation>{fps:.0f} fotogramas/s</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1791"/>
        <source>{mb:.0f} MB</source>
        <translation>{mb:.0f} MB</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1794"/>
        <source>window {gui:.0f} MB · trainer {trainer:.0f} MB</source>
        <translation>ventana {gui:.0f} MB · entrenador {trainer:.0f} MB</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/main_window.py" line="1826"/>
        <source>The trainer did not stop within 2 s; it will stop after its current step.</source>
        <translation>El entrenamiento no se detuvo en 2 s; se detendrá después del paso actual.</translation>
    </message>
</context>
<context>
    <name>MetricsPanel</name>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="37"/>
        <source>Metrics appear once training runs (toy data sets).</source>
        <translation>Las métricas aparecen cuando el entrenamiento avanza (conjuntos de juguete).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="41"/>
        <source>Divergence from the data</source>
        <translation>Divergencia respecto a los datos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="41"/>
        <source>nats</source>
        <translation>nats</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="51"/>
        <source>Each floor is what the same estimate gives for a second sample of the data itself, with as many samples on the same grid: a value at its floor cannot be told apart from the data, and only the part above it is progress.</source>
        <translation>Cada suelo es lo que da la misma estimación para una segunda muestra de los propios datos, con tantas muestras y en la misma rejilla: un valor en su suelo no se distingue de los datos, y solo la parte por encima es progreso.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="57"/>
        <source>Mode coverage</source>
        <translation>Cobertura de modos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="57"/>
        <source>modes</source>
        <translation>modos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="58"/>
        <source>High-quality samples</source>
        <translation>Muestras de alta calidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="58"/>
        <location filename="../../ganlab/widgets/metrics_view.py" line="85"/>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="59"/>
        <source>Wasserstein-1 distance</source>
        <translation>Distancia de Wasserstein-1</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="59"/>
        <source>distance</source>
        <translation>distancia</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="65"/>
        <source>L1 to the target (held-out pairs)</source>
        <translation>L1 al objetivo (parejas reservadas)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="66"/>
        <source>L1</source>
        <translation>L1</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="71"/>
        <source>PSNR (held-out pairs)</source>
        <translation>PSNR (parejas reservadas)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="71"/>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="77"/>
        <source>Cycle error on held-out images</source>
        <translation>Error de ciclo en imágenes reservadas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="78"/>
        <source>mean |error|</source>
        <translation>media de |error|</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="84"/>
        <source>Translations judged in the target domain</source>
        <translation>Traducciones juzgadas en el dominio de destino</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="89"/>
        <source>FID (lower is better)</source>
        <translation>FID (menor es mejor)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="89"/>
        <location filename="../../ganlab/widgets/metrics_view.py" line="133"/>
        <source>FID</source>
        <translation>FID</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="96"/>
        <source>Image metrics from &apos;Evaluate now&apos;. Inception-v3 numbers are comparable with published ones; numbers in the offline classifier&apos;s feature space are only comparable with each other.</source>
        <translation>Métricas de imagen de «Evaluar ahora». Los valores con Inception-v3 son comparables con los publicados; los del espacio de características del clasificador local solo son comparables entre sí.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="102"/>
        <source>JSD (grid)</source>
        <translation>JSD (cuadrícula)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="104"/>
        <source>lower bound from D</source>
        <translation>cota inferior a partir de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="107"/>
        <source>JSD floor (data vs data)</source>
        <translation>Suelo de la JSD (datos frente a datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="116"/>
        <source>modes captured</source>
        <translation>modos capturados</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="123"/>
        <source>within 3σ of a mode</source>
        <translation>a menos de 3σ de un modo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="125"/>
        <source>W1(real, generated)</source>
        <translation>W1(real, generado)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="128"/>
        <source>G(input)</source>
        <translation>G(entrada)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="130"/>
        <source>input as output</source>
        <translation>entrada como salida</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="132"/>
        <source>mean target</source>
        <translation>objetivo medio</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="134"/>
        <source>|F(G(A)) − A|</source>
        <translation>|F(G(A)) − A|</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="135"/>
        <source>|G(F(B)) − B|</source>
        <translation>|G(F(B)) − B|</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="136"/>
        <source>G(A) judged B</source>
        <translation>G(A) juzgada como B</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="137"/>
        <source>F(B) judged A</source>
        <translation>F(B) juzgada como A</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="139"/>
        <source>real images (ceiling)</source>
        <translation>imágenes reales (techo)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="143"/>
        <source>How close the generator is to the data, measured on 2,500 fresh samples about once a second. JSD is 0 for a perfect generator and ln 2 ≈ 0.69 for one that misses the data entirely; D&apos;s bound lies below it for any D and meets it only for the optimal D.</source>
        <translation>Qué tan cerca está el generador de los datos, medido sobre 2.500 muestras nuevas aproximadamente una vez por segundo. La JSD vale 0 para un generador perfecto y ln 2 ≈ 0,69 para uno que no acierta en absoluto; la cota de D queda por debajo para cualquier D y solo la alcanza con el D óptimo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="255"/>
        <source>JSD</source>
        <translation>JSD</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="256"/>
        <source>KL(data‖G)</source>
        <translation>KL(datos‖G)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="257"/>
        <source>KL(G‖data)</source>
        <translation>KL(G‖datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="258"/>
        <source>TV</source>
        <translation>TV</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="268"/>
        <source>{name} {value} (floor {floor})</source>
        <translation>{name} {value} (suelo {floor})</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="291"/>
        <source>step {step}, {space}: {values}</source>
        <translation>paso {step}, {space}: {values}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="298"/>
        <source>Note: {note}</source>
        <translation>Nota: {note}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="313"/>
        <source>N = {fake} generated images, each used once</source>
        <translation>N = {fake} imágenes generadas, cada una usada una vez</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="315"/>
        <source>N = {real} real and {fake} generated images, each used once</source>
        <translation>N = {real} imágenes reales y {fake} generadas, cada una usada una vez</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/metrics_view.py" line="320"/>
        <source>; KID subset size {size}, subsets: {count}</source>
        <translation>; KID con subconjuntos de {size}, subconjuntos: {count}</translation>
    </message>
</context>
<context>
    <name>Pix2PixPanel</name>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="172"/>
        <source>input</source>
        <translation>entrada</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="172"/>
        <source>target</source>
        <translation>objetivo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="194"/>
        <source>Draw an input with the mouse; G&apos;s output for it appears beside it and follows training, also while paused.</source>
        <translation>Dibuja una entrada con el ratón; la salida de G para ella aparece al lado y sigue al entrenamiento, también en pausa.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="198"/>
        <source>G(drawing)</source>
        <translation>G(dibujo)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="211"/>
        <source>Brush width, in image pixels.</source>
        <translation>Grosor del pincel, en píxeles de la imagen.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="214"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="215"/>
        <source>Wipe the drawing.</source>
        <translation>Borra el dibujo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="219"/>
        <source>Draw in the black box to see what G makes of it.</source>
        <translation>Dibuja en el recuadro negro para ver qué hace G con ello.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="318"/>
        <source>{input} → G({input}) → {target}</source>
        <translation>{input} → G({input}) → {target}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="324"/>
        <source>Draw: {input}</source>
        <translation>Dibuja: {input}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/pix2pix_view.py" line="368"/>
        <source>Brush {width} px</source>
        <translation>Pincel {width} px</translation>
    </message>
</context>
<context>
    <name>PointColumnsDialog</name>
    <message>
        <location filename="../../ganlab/app/point_columns.py" line="36"/>
        <source>Choose columns</source>
        <translation>Elegir columnas</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/point_columns.py" line="39"/>
        <source>{file} has {n} columns. Which ones hold the points?</source>
        <translation>{file} tiene {n} columnas. ¿Cuáles contienen los puntos?</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/point_columns.py" line="52"/>
        <source>none (1-D points)</source>
        <translation>ninguna (puntos 1-D)</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/point_columns.py" line="54"/>
        <source>x (first column):</source>
        <translation>x (primera columna):</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/point_columns.py" line="55"/>
        <source>y (second column):</source>
        <translation>y (segunda columna):</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="61"/>
        <source>D loss</source>
        <translation>Pérdida de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="62"/>
        <source>G loss</source>
        <translation>Pérdida de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="63"/>
        <source>D output on real data</source>
        <translation>Salida de D con datos reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="64"/>
        <source>D output on generated data</source>
        <translation>Salida de D con datos generados</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="65"/>
        <source>D gradient norm</source>
        <translation>Norma del gradiente de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="66"/>
        <source>G gradient norm</source>
        <translation>Norma del gradiente de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="67"/>
        <source>G adversarial term</source>
        <translation>Término adversarial de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="68"/>
        <source>L1 term</source>
        <translation>Término L1</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="69"/>
        <source>cycle term</source>
        <translation>término de ciclo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="70"/>
        <source>identity term</source>
        <translation>término de identidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="71"/>
        <source>D learning rate</source>
        <translation>Tasa de aprendizaje de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="72"/>
        <source>G learning rate</source>
        <translation>Tasa de aprendizaje de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="76"/>
        <source>Jensen-Shannon divergence</source>
        <translation>divergencia de Jensen-Shannon</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="77"/>
        <source>modes captured</source>
        <translation>modos capturados</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="78"/>
        <source>high-quality samples</source>
        <translation>muestras de alta calidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="79"/>
        <source>reverse KL</source>
        <translation>KL inversa</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="80"/>
        <source>Wasserstein-1 distance</source>
        <translation>distancia de Wasserstein-1</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="81"/>
        <location filename="../../ganlab/widgets/runs_view.py" line="113"/>
        <source>FID</source>
        <translation>FID</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="82"/>
        <location filename="../../ganlab/widgets/runs_view.py" line="115"/>
        <source>IS</source>
        <translation>IS</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="83"/>
        <source>FID (classifier features)</source>
        <translation>FID (rasgos del clasificador)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="84"/>
        <source>KL(data‖G)</source>
        <translation>KL(datos‖G)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="85"/>
        <source>KL(G‖data)</source>
        <translation>KL(G‖datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="86"/>
        <source>total variation distance</source>
        <translation>distancia de variación total</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="87"/>
        <source>JSD floor (data vs data)</source>
        <translation>Suelo de la JSD (datos frente a datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="88"/>
        <source>KL(data‖G) floor (data vs data)</source>
        <translation>Suelo de KL(datos‖G) (datos frente a datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="89"/>
        <source>KL(G‖data) floor (data vs data)</source>
        <translation>Suelo de KL(G‖datos) (datos frente a datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="90"/>
        <source>total variation floor (data vs data)</source>
        <translation>Suelo de la variación total (datos frente a datos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="91"/>
        <source>JSD lower bound from D</source>
        <translation>cota inferior de la JSD a partir de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="92"/>
        <source>generated samples outside the plot</source>
        <translation>muestras generadas fuera del gráfico</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="93"/>
        <source>modes in the data</source>
        <translation>modos de los datos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="94"/>
        <source>L1 error (held-out pairs)</source>
        <translation>error L1 (parejas reservadas)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="95"/>
        <source>PSNR (held-out pairs)</source>
        <translation>PSNR (parejas reservadas)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="96"/>
        <source>cycle error</source>
        <translation>error de ciclo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="97"/>
        <source>cycle error |F(G(A)) − A|</source>
        <translation>error de ciclo |F(G(A)) − A|</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="98"/>
        <source>cycle error |G(F(B)) − B|</source>
        <translation>error de ciclo |G(F(B)) − B|</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="99"/>
        <source>translations judged the target domain</source>
        <translation>traducciones juzgadas como del dominio destino</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="100"/>
        <source>G(A) judged B</source>
        <translation>G(A) juzgada como B</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="101"/>
        <source>F(B) judged A</source>
        <translation>F(B) juzgada como A</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="102"/>
        <source>real images judged their domain</source>
        <translation>imágenes reales juzgadas como de su dominio</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="103"/>
        <source>perceptual path length in w</source>
        <translation>longitud de camino perceptual en w</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="104"/>
        <source>perceptual path length in z</source>
        <translation>longitud de camino perceptual en z</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="107"/>
        <source>metric: {name}</source>
        <translation>métrica: {name}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="110"/>
        <source>JSD</source>
        <translation>JSD</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="111"/>
        <source>modes</source>
        <translation>modos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="112"/>
        <source>W1</source>
        <translation>W1</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="114"/>
        <source>FID (classifier)</source>
        <translation>FID (clasificador)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="116"/>
        <source>high quality</source>
        <translation>alta calidad</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="186"/>
        <source>The folder whose runs are listed</source>
        <translation>La carpeta cuyas ejecuciones se listan</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="188"/>
        <source>Folder…</source>
        <translation>Carpeta…</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="189"/>
        <source>List the runs of another folder</source>
        <translation>Lista las ejecuciones de otra carpeta</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="191"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="193"/>
        <source>Read the folder and the ticked runs again: runs still training grow</source>
        <translation>Vuelve a leer la carpeta y las ejecuciones marcadas: las que siguen entrenando crecen</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="204"/>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="205"/>
        <source>Family</source>
        <translation>Familia</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="206"/>
        <source>Loss</source>
        <translation>Pérdida</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="207"/>
        <source>Steps</source>
        <translation>Pasos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="208"/>
        <source>Last metrics</source>
        <translation>Últimas métricas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="209"/>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="244"/>
        <source>What the plot shows for each ticked run</source>
        <translation>Lo que muestra la gráfica para cada ejecución marcada</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="246"/>
        <source>Smooth</source>
        <translation>Suavizar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="248"/>
        <source>A moving average of the losses, norms and rates (not of the metrics)</source>
        <translation>Una media móvil de las pérdidas, normas y tasas (no de las métricas)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="252"/>
        <source>Log scale</source>
        <translation>Escala logarítmica</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="253"/>
        <source>A logarithmic vertical axis</source>
        <translation>Un eje vertical logarítmico</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="262"/>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="292"/>
        <source>All of these folders</source>
        <translation>Todas estas carpetas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="454"/>
        <source>No runs in this folder yet. Runs appear here when the window trains, or after &apos;ganlab train --out FOLDER/NAME&apos;; pick another folder with Folder…</source>
        <translation>Aún no hay ejecuciones en esta carpeta. Aparecen aquí cuando la ventana entrena, o tras &apos;ganlab train --out CARPETA/NOMBRE&apos;; elige otra carpeta con Carpeta…</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="485"/>
        <source>Folder of runs</source>
        <translation>Carpeta de ejecuciones</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="564"/>
        <source>The ticked runs have no data for this yet.</source>
        <translation>Las ejecuciones marcadas aún no tienen datos de esto.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/runs_view.py" line="566"/>
        <source>Tick runs to overlay their curves.</source>
        <translation>Marca ejecuciones para superponer sus curvas.</translation>
    </message>
</context>
<context>
    <name>SlowMotionPanel</name>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="39"/>
        <source>Sample noise z</source>
        <translation>Muestrear el ruido z</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="40"/>
        <source>Generate G(z)</source>
        <translation>Generar G(z)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="41"/>
        <source>D classifies real and generated samples</source>
        <translation>D clasifica las muestras reales y generadas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="42"/>
        <source>Compute the loss</source>
        <translation>Calcular la pérdida</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="43"/>
        <source>Backpropagate the gradients</source>
        <translation>Retropropagar los gradientes</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="44"/>
        <source>Update the weights</source>
        <translation>Actualizar los pesos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="57"/>
        <source>Discriminator</source>
        <translation>Discriminador</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="58"/>
        <source>Generator</source>
        <translation>Generador</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="60"/>
        <source>Lit while D, the discriminator, is trained.</source>
        <translation>Se ilumina mientras se entrena D, el discriminador.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="61"/>
        <source>Lit while G, the generator, is trained.</source>
        <translation>Se ilumina mientras se entrena G, el generador.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="89"/>
        <source>Play one iteration slowly</source>
        <translation>Reproducir una iteración despacio</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="93"/>
        <source>Train for one iteration (D&apos;s update, then G&apos;s) slowly, lighting up each sub-step with an explanation.</source>
        <translation>Entrena una iteración (la actualización de D y luego la de G) despacio, iluminando cada subpaso con una explicación.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="106"/>
        <source>How long each sub-step stays lit, from 0.2 to 3 seconds. Applies at once.</source>
        <translation>Cuánto tiempo queda iluminado cada subpaso, de 0.2 a 3 segundos. Se aplica de inmediato.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="113"/>
        <source>Pace</source>
        <translation>Ritmo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="210"/>
        <source>{0:.1f} s / step</source>
        <translation>{0:.1f} s / paso</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="251"/>
        <source>Press “Play one iteration slowly” to watch one training iteration step by step: first D learns, then G.</source>
        <translation>Haz clic en “Reproducir una iteración despacio” para ver una iteración de entrenamiento paso a paso: primero aprende D y luego G.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="255"/>
        <source>Draw a batch of random noise vectors z: G will turn them into fakes for D.</source>
        <translation>Se toma un lote de vectores de ruido aleatorios z: G los convertirá en muestras falsas para D.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="257"/>
        <source>G turns each z into a fake sample G(z); G is frozen during D&apos;s update, so only D learns from these.</source>
        <translation>G convierte cada z en una muestra falsa G(z); G está congelado durante la actualización de D, así que solo D aprende de ellas.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="261"/>
        <source>D scores every real sample x and every fake G(z): D(·) is its belief, from 0 to 1, that the sample is real.</source>
        <translation>D puntúa cada muestra real x y cada muestra falsa G(z): D(·) es su creencia, de 0 a 1, de que la muestra es real.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="265"/>
        <source>D is scored on telling them apart: −log D(x) − log(1 − D(G(z))) is small when reals score near 1 and fakes near 0.</source>
        <translation>A D se le puntúa por distinguirlas: −log D(x) − log(1 − D(G(z))) es pequeño cuando las reales puntúan cerca de 1 y las falsas cerca de 0.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="269"/>
        <source>Backpropagation works out, for each of D&apos;s weights, which way to move it to lower D&apos;s loss.</source>
        <translation>La retropropagación calcula, para cada peso de D, en qué dirección moverlo para reducir la pérdida de D.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="273"/>
        <source>The optimizer moves D&apos;s weights a small step downhill, scaled by D&apos;s learning rate; G does not change.</source>
        <translation>El optimizador mueve los pesos de D un pequeño paso cuesta abajo, escalado por la tasa de aprendizaje de D; G no cambia.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="278"/>
        <source>Draw a fresh batch of noise vectors z: each is a random point G will map.</source>
        <translation>Se toma un lote nuevo de vectores de ruido z: cada uno es un punto aleatorio que G transformará.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="280"/>
        <source>G turns each z into a sample G(z), keeping track of how every output depends on its weights.</source>
        <translation>G convierte cada z en una muestra G(z) y registra cómo depende cada salida de sus pesos.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="284"/>
        <source>D scores G&apos;s fresh samples, D(G(z)). D only judges here: its weights stay fixed while G learns.</source>
        <translation>D puntúa las muestras nuevas de G, D(G(z)). Aquí D solo juzga: sus pesos quedan fijos mientras G aprende.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="288"/>
        <source>G is scored by how real D finds its samples: the non-saturating loss −log D(G(z)).</source>
        <translation>A G se le puntúa según lo reales que D considera sus muestras: la pérdida no saturante −log D(G(z)).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="291"/>
        <source>The gradient flows back through D into G: it tells each of G&apos;s weights how to move so that D(G(z)) rises.</source>
        <translation>El gradiente fluye hacia atrás a través de D hasta G: indica a cada peso de G cómo moverse para que D(G(z)) aumente.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="295"/>
        <source>The optimizer moves G&apos;s weights a small step, scaled by G&apos;s learning rate; D does not change.</source>
        <translation>El optimizador mueve los pesos de G un pequeño paso, escalado por la tasa de aprendizaje de G; D no cambia.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="300"/>
        <source>Draw random noise vectors z, the raw material of G&apos;s samples.</source>
        <translation>Se toman vectores de ruido aleatorios z, la materia prima de las muestras de G.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="301"/>
        <source>G turns each noise vector z into a sample G(z).</source>
        <translation>G convierte cada vector de ruido z en una muestra G(z).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="302"/>
        <source>D gives real and generated samples a score: how real each one looks.</source>
        <translation>D da una puntuación a las muestras reales y generadas: lo real que parece cada una.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="303"/>
        <source>The loss turns D&apos;s scores into one number saying how well a network did.</source>
        <translation>La pérdida convierte las puntuaciones de D en un único número que indica lo bien que lo hizo una red.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="304"/>
        <source>Backpropagation finds which way each weight should move to lower the loss.</source>
        <translation>La retropropagación encuentra en qué dirección debe moverse cada peso para reducir la pérdida.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/slow_motion.py" line="305"/>
        <source>The optimizer moves the weights a small step in that direction.</source>
        <translation>El optimizador mueve los pesos un pequeño paso en esa dirección.</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="55"/>
        <source>ganlab — start</source>
        <translation>ganlab — inicio</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="56"/>
        <source>What would you like to do?</source>
        <translation>¿Qué quieres hacer?</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="60"/>
        <source>Tab moves between the lists, the arrow keys within one, Enter opens, Esc closes this page.</source>
        <translation>Tab cambia de lista, las flechas se mueven dentro de una, Intro abre y Esc cierra esta página.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="65"/>
        <source>Guided lessons, one per topic</source>
        <translation>Lecciones guiadas, una por tema</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="66"/>
        <source>Ready-made experiments</source>
        <translation>Experimentos listos para usar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="67"/>
        <source>Files and runs opened before</source>
        <translation>Archivos y ejecuciones abiertos antes</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="69"/>
        <source>Lessons</source>
        <translation>Lecciones</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="70"/>
        <source>Presets</source>
        <translation>Experimentos predefinidos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="71"/>
        <source>Recent</source>
        <translation>Recientes</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="90"/>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="92"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="142"/>
        <source>No lessons found.</source>
        <translation>No se encontraron lecciones.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="147"/>
        <source>No presets found.</source>
        <translation>No se encontraron experimentos predefinidos.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/start_page.py" line="154"/>
        <source>Nothing opened yet.</source>
        <translation>Todavía no se ha abierto nada.</translation>
    </message>
</context>
<context>
    <name>StylePanel</name>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="82"/>
        <source>Generated (fixed z)</source>
        <translation>Generadas (z fijos)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="84"/>
        <source>Style mixing</source>
        <translation>Mezcla de estilos</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="85"/>
        <source>Interpolation: z vs w</source>
        <translation>Interpolación: z frente a w</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="110"/>
        <source>Truncation ψ: every w is pulled towards the average w by 1 − ψ. ψ = 1 shows what G really samples; lower values give more typical images with less variety; ψ = 0 gives the average image for every z.</source>
        <translation>Truncamiento ψ: cada w se acerca al w medio en 1 − ψ. ψ = 1 muestra lo que G muestrea de verdad; los valores más bajos dan imágenes más típicas con menos variedad; ψ = 0 da la imagen media para todos los z.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="121"/>
        <source>Crossover layer</source>
        <translation>Capa de cruce</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="126"/>
        <source>Style mixing: layers before this one take their style from the row&apos;s image (coarse: shape and position), layers from it on from the column&apos;s image (fine: colour and detail).</source>
        <translation>Mezcla de estilos: las capas anteriores a esta toman su estilo de la imagen de la fila (gruesas: forma y posición); las capas desde esta, de la imagen de la columna (finas: color y detalle).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="143"/>
        <source>Perceptual path length, pixel version (Karras et al. 2019): how much the image changes per small step along random paths in z and in w. The smaller value belongs to the smoother, more disentangled space.</source>
        <translation>Longitud de camino perceptual, versión en píxeles (Karras et al. 2019): cuánto cambia la imagen por cada paso pequeño a lo largo de caminos aleatorios en z y en w. El valor más pequeño corresponde al espacio más suave y más desenredado.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="172"/>
        <source>Truncation ψ = {psi}</source>
        <translation>Truncamiento ψ = {psi}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="196"/>
        <source>{layer} ({side} px)</source>
        <translation>{layer} ({side} px)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="224"/>
        <source>Mixing: each image has the coarse styles (layers 0–{last_coarse}, up to {coarse} px) of its row&apos;s left image and the fine styles (layers {first_fine}–{last}, from {fine} px) of its column&apos;s top image.</source>
        <translation>Mezcla: cada imagen tiene los estilos gruesos (capas 0–{last_coarse}, hasta {coarse} px) de la imagen a la izquierda de su fila y los estilos finos (capas {first_fine}–{last}, desde {fine} px) de la imagen arriba de su columna.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="242"/>
        <source>in z</source>
        <translation>en z</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="242"/>
        <source>in w</source>
        <translation>en w</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="247"/>
        <source>Path length (pixels, lower is smoother): z {z} · w {w}</source>
        <translation>Longitud de camino (píxeles; menor es más suave): z {z} · w {w}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/style_view.py" line="295"/>
        <source>Path length (pixels, lower is smoother): measured while training runs</source>
        <translation>Longitud de camino (píxeles; menor es más suave): se mide mientras se entrena</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="197"/>
        <location filename="../../ganlab/widgets/timeline.py" line="201"/>
        <source>Back to live</source>
        <translation>Ver en vivo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="198"/>
        <source>Show the newest views again and follow training (End)</source>
        <translation>Vuelve a mostrar las vistas más recientes y sigue el entrenamiento (Fin)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="203"/>
        <source>Timeline</source>
        <translation>Línea de tiempo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="206"/>
        <source>Drag back to see every view as it was at an earlier step; training goes on meanwhile. Left and Right move one kept frame; End returns to live.</source>
        <translation>Arrastra hacia atrás para ver cada vista como estaba en un paso anterior; mientras tanto, el entrenamiento sigue. Izquierda y Derecha mueven un fotograma guardado; Fin vuelve a en vivo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="243"/>
        <source>steps {first}–{last}</source>
        <translation>pasos {first}–{last}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="245"/>
        <source>step {step}</source>
        <translation>paso {step}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="248"/>
        <source>{n} frames kept of this run, denser near now</source>
        <translation>{n} fotogramas guardados de esta ejecución, más densos cerca del presente</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="251"/>
        <source>no frames kept yet</source>
        <translation>aún no hay fotogramas guardados</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="253"/>
        <source>The run keeps a frame of its views about once a second while it trains.</source>
        <translation>La ejecución guarda un fotograma de sus vistas aproximadamente una vez por segundo mientras entrena.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="271"/>
        <location filename="../../ganlab/widgets/timeline.py" line="306"/>
        <source>Live</source>
        <translation>En vivo</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="272"/>
        <source>The views follow training as it happens.</source>
        <translation>Las vistas siguen el entrenamiento mientras ocurre.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="275"/>
        <source>Step {step} · earlier run</source>
        <translation>Paso {step} · ejecución anterior</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="288"/>
        <source>(A frame of {run}, the run this one continues.)</source>
        <translation>(Un fotograma de {run}, la ejecución que esta continúa.)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="277"/>
        <source>Step {step} · segment {segment}</source>
        <translation>Paso {step} · tramo {segment}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="281"/>
        <source>Step {step}</source>
        <translation>Paso {step}</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/timeline.py" line="284"/>
        <source>The views show step {step}, not the newest: training goes on behind. Back to live (End) shows the newest again.</source>
        <translation>Las vistas muestran el paso {step}, no el más reciente: el entrenamiento sigue detrás. Ver en vivo (Fin) vuelve a mostrar lo más reciente.</translation>
    </message>
</context>
<context>
    <name>ToyViewPanel</name>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="183"/>
        <source>Real</source>
        <translation>Reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="185"/>
        <source>Show the real data samples (green): what G should learn to imitate.</source>
        <translation>Mostrar las muestras de datos reales (verde): lo que G debe aprender a imitar.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="188"/>
        <source>Generated</source>
        <translation>Generadas</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="191"/>
        <source>Show G&apos;s samples (purple). They come from a fixed batch of noise, so each dot is the same individual from frame to frame: click one to select it.</source>
        <translation>Mostrar las muestras de G (morado). Salen de un lote fijo de ruido, así que cada punto es el mismo individuo de un fotograma a otro: haz clic en uno para seleccionarlo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="197"/>
        <source>D heatmap</source>
        <translation>Mapa de calor de D</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="200"/>
        <location filename="../../ganlab/widgets/toy_view.py" line="680"/>
        <source>Show the discriminator&apos;s judgement of every point of the plane: green where D says &apos;real&apos;, purple where it says &apos;fake&apos;, white where it cannot tell.</source>
        <translation>Mostrar el juicio del discriminador sobre cada punto del plano: verde donde D dice “real”, morado donde dice “falso”, blanco donde no puede distinguir.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="206"/>
        <source>G gradients</source>
        <translation>Gradientes de G</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="209"/>
        <source>Show arrows from each generated sample in the direction G&apos;s next update moves it (minus the gradient of G&apos;s loss). The longest arrow is scaled to 8% of the view width; the others in proportion.</source>
        <translation>Mostrar flechas desde cada muestra generada en la dirección en la que la moverá la próxima actualización de G (menos el gradiente de la pérdida de G). La flecha más larga mide el 8% del ancho de la vista; las demás, en proporción.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="215"/>
        <source>Manifold</source>
        <translation>Variedad</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="218"/>
        <source>Show the generator&apos;s manifold: a square grid of noise vectors (first two latent dimensions) after G has warped it into data space.</source>
        <translation>Mostrar la variedad del generador: una cuadrícula de vectores de ruido (las dos primeras dimensiones latentes) después de que G la deforme en el espacio de datos.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="234"/>
        <source>Draw</source>
        <translation>Dibujar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="152"/>
        <source>Drawing: drag on the plot to add points, then Apply to train on them. Clicking a generated sample does not select it while drawing. Esc leaves drawing and discards the points not yet applied.</source>
        <translation>Dibujando: arrastra sobre el gráfico para añadir puntos y pulsa Aplicar para entrenar con ellos. Mientras dibujas, hacer clic en una muestra generada no la selecciona. Esc sale del dibujo y descarta los puntos aún no aplicados.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="236"/>
        <source>Draw your own data: while this is on, drag with the left mouse button on the plot to add points along the stroke. Panning and selecting samples are off while drawing. Apply uses the points as data; Esc leaves drawing and discards the points not yet applied.</source>
        <translation>Dibuja tus propios datos: mientras esté activo, arrastra con el botón izquierdo sobre el gráfico para añadir puntos a lo largo del trazo. Mientras dibujas no se puede desplazar la vista ni seleccionar muestras. Aplicar usa los puntos como datos; Esc sale del dibujo y descarta los puntos aún no aplicados.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="246"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="246"/>
        <source>Remove every point drawn with the brush.</source>
        <translation>Borra todos los puntos dibujados con el pincel.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="250"/>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="251"/>
        <source>Use the drawn points as the real data set (restarts the experiment).</source>
        <translation>Usa los puntos dibujados como conjunto de datos reales (reinicia el experimento).</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="272"/>
        <source>Real data (green), generated samples (purple), the discriminator&apos;s heatmap and G&apos;s gradients. Click a generated sample to select it.</source>
        <translation>Datos reales (verde), muestras generadas (morado), el mapa de calor del discriminador y los gradientes de G. Haz clic en una muestra generada para seleccionarla.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="281"/>
        <source>x₁</source>
        <translation>x₁</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="282"/>
        <source>x₂</source>
        <translation>x₂</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="360"/>
        <source>real data</source>
        <translation>datos reales</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="361"/>
        <source>generated (fixed noise)</source>
        <translation>generadas (ruido fijo)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="362"/>
        <source>G&apos;s gradient (longest = 8% of width)</source>
        <translation>gradiente de G (el más largo = 8% del ancho)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="363"/>
        <source>G&apos;s manifold (warped noise grid)</source>
        <translation>variedad de G (cuadrícula de ruido deformada)</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="364"/>
        <source>latent path</source>
        <translation>trayectoria latente</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="365"/>
        <source>drawn points</source>
        <translation>puntos dibujados</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="671"/>
        <source>D(x): 1 = real, ½ = can&apos;t tell, 0 = fake</source>
        <translation>D(x): 1 = real, ½ = no distingue, 0 = falso</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="674"/>
        <source>Discriminator output D(x), the probability it gives that x is real: green 1 = real, white ½ = can&apos;t tell, purple 0 = fake.</source>
        <translation>Salida del discriminador D(x), la probabilidad que asigna a que x sea real: verde 1 = real, blanco ½ = no distingue, morado 0 = falso.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="686"/>
        <source>critic score: higher = judged more real</source>
        <translation>puntuación del crítico: más alta = se juzga más real</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="689"/>
        <source>Critic score of each point, not a probability: green = higher = judged more real, purple = lower. A critic&apos;s scores have no fixed scale and no neutral value: the colours span the current field, so white is only the middle of its range.</source>
        <translation>Puntuación del crítico en cada punto, no una probabilidad: verde = más alta = juzgado más real, morado = más baja. Las puntuaciones de un crítico no tienen escala fija ni valor neutro: los colores abarcan el campo actual, así que el blanco es solo el centro de su rango.</translation>
    </message>
    <message>
        <location filename="../../ganlab/widgets/toy_view.py" line="697"/>
        <source>Show the critic&apos;s score of every point of the plane: greener where it scores higher (judged more real), more purple where it scores lower.</source>
        <translation>Muestra la puntuación del crítico en cada punto del plano: más verde donde puntúa más alto (juzgado más real), más morado donde puntúa más bajo.</translation>
    </message>
</context>
<context>
    <name>TrainerLink</name>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="212"/>
        <source>The link to the trainer failed: {error}</source>
        <translation>Falló la conexión con el entrenador: {error}</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="220"/>
        <source>Another window attached to this run and took it over: this window no longer shows it. Its curves stay here; attach again with File › Attach to run.</source>
        <translation>Otra ventana se conectó a esta ejecución y la tomó: esta ventana ya no la muestra. Sus curvas siguen aquí; vuelve a conectarte con Archivo › Conectarse a una ejecución.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="234"/>
        <source>The trainer ended.</source>
        <translation>El entrenador terminó.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="396"/>
        <source>The run has ended (it finished, or its trainer was stopped). Its curves stay here; its run directory is {path}.</source>
        <translation>La ejecución ha terminado (llegó al final, o se detuvo su entrenador). Sus curvas siguen aquí; su carpeta de ejecución es {path}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="433"/>
        <source>The trainer process stopped answering.</source>
        <translation>El proceso del entrenador dejó de responder.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="441"/>
        <source>The trainer process was killed ({signal}): the system may have run out of memory, or someone ended it.</source>
        <translation>El proceso del entrenador fue terminado a la fuerza ({signal}): puede que el sistema se quedara sin memoria, o que alguien lo cerrara.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="447"/>
        <source>The trainer process crashed ({signal}), inside torch or a device driver.</source>
        <translation>El proceso del entrenador falló ({signal}), dentro de torch o de un controlador del dispositivo.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="452"/>
        <source>The trainer process was ended by signal {signal}.</source>
        <translation>El proceso del entrenador terminó por la señal {signal}.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="456"/>
        <source>The trainer process ended.</source>
        <translation>El proceso del entrenador terminó.</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="458"/>
        <source>The trainer process failed (exit status {code}).</source>
        <translation>El proceso del entrenador falló (código de salida {code}).</translation>
    </message>
    <message>
        <location filename="../../ganlab/app/trainer_link.py" line="463"/>
        <source>Its last words:</source>
        <translation>Sus últimas líneas:</translation>
    </message>
</context>
</TS>
